"""The errors paperradar raises on purpose: a small flat hierarchy the edges map to exits and HTTP codes."""

from __future__ import annotations


class PaperradarError(Exception):
    """Base of every error meant for the user; its message is one clear line."""

    hint: str | None = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class InputError(PaperradarError):
    """Input that cannot be used: a malformed record, an unknown format, a bad parameter."""


class PaperNotFound(PaperradarError):
    """No paper has the id asked for."""


class ConfigError(PaperradarError):
    """A setting that cannot be used."""


class StoreError(PaperradarError):
    """The database cannot be opened or is in a state we cannot work with."""


class Busy(PaperradarError):
    """Something another process holds (an index's writer lock) stayed held past the wait; try again later."""


class SourceError(PaperradarError):
    """A live source failed in a way retries did not mend."""
