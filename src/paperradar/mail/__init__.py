"""Outgoing email: an SMTP transport configured by one URL. It knows nothing of papers or users."""

from paperradar.mail.smtp import Mailer, MailError, MailRefused, MailSession, SmtpAddress, parse_smtp_url

__all__ = ["MailError", "MailRefused", "MailSession", "Mailer", "SmtpAddress", "parse_smtp_url"]
