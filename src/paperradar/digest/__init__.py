"""The daily email digest: who gets it, what goes in it, how it reads, and sending it once a day."""

from paperradar.digest.address import normalise_email
from paperradar.digest.render import DigestRenderer, Mail, Shared
from paperradar.digest.sections import DigestSection, compose, subject
from paperradar.digest.sender import DigestRun, SendSummary, smtp_timeout

__all__ = [
           "DigestRenderer",
           "DigestRun",
           "DigestSection",
           "Mail",
           "SendSummary",
           "Shared",
           "compose",
           "normalise_email",
           "smtp_timeout",
           "subject",
]  # fmt: skip
