"""`python -m paperradar` runs the CLI."""

from paperradar.cli.app import main

main()
