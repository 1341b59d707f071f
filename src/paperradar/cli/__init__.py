"""The command line: thin commands that parse, call the Library, and print."""
