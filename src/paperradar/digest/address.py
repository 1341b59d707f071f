"""Email addresses a visitor types: checked, bounded and put in one form before anything is stored."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from paperradar.errors import InputError

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, less its angle brackets
MAX_LOCAL = 64


def normalise_email(text: str, field: str = "email") -> str:
    """The address in the form it is stored and mailed to: trimmed, domain lower-cased (and in ASCII, as
    SMTP without SMTPUTF8 needs), the mailbox part as typed. InputError naming `field` when it is not one."""
    given = (text or "").strip()
    if not given:
        raise InputError(f"{field}: an email address is needed")
    if len(given) > MAX_LENGTH:
        raise InputError(f"{field}: at most {MAX_LENGTH} characters, got {len(given)}")
    try:
        checked = validate_email(given, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise InputError(f"{field}: not an email address ({error})") from None
    address = checked.ascii_email or checked.normalized
    if len(checked.local_part) > MAX_LOCAL or len(address) > MAX_LENGTH:
        raise InputError(f"{field}: the address is too long")
    return address
