"""A digest mail flattened straight to bytes (multipart/alternative, quoted-printable, CRLF).

Why not the email package, which the confirmation mail uses: building and flattening an EmailMessage
of a digest's size costs several milliseconds (header objects, a Python quoted-printable encoder,
a generator writing line by line), more than the SMTP handoff itself; for 10,000 subscribers that is
the run. Here `binascii.b2a_qp` (C) encodes the bodies and the fixed frame is joined around them. The
tests read every mail back with the email package (`email.policy.default`) to check its structure.
"""

from __future__ import annotations

import binascii
import secrets
from collections.abc import Sequence
from email.header import Header
from functools import lru_cache

CRLF = b"\r\n"
MAX_LINE = 998  # RFC 5322's limit on a line, CRLF excluded


def new_boundary() -> str:
    # "=_" never occurs in quoted-printable text (an "=" there is followed by hex digits or a line
    # break), so no body can contain the boundary, whatever a title holds.
    return f"=_paperradar_{secrets.token_hex(12)}"


@lru_cache(maxsize=64)
def _encoded(name: str, value: str) -> bytes:
    return Header(value, "utf-8", header_name=name).encode(linesep="\r\n").encode("ascii")


def header(name: str, value: str) -> bytes:
    """One header line; RFC 2047-encoded (and folded) when it is not ASCII. A line break in a value is
    refused: it would start a header of its own."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"{name}: a header value may not hold a line break")
    if not value.isascii():
        return name.encode("ascii") + b": " + _encoded(name, value) + CRLF
    line = f"{name}: {value}".encode("ascii")
    if len(line) > MAX_LINE:
        raise ValueError(f"{name}: longer than a mail line may be")
    return line + CRLF


def _quoted_printable(text: str) -> bytes:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return binascii.b2a_qp(lines.encode("utf-8"), istext=True)


def assemble(headers: Sequence[tuple[str, str]], text: str, html: str, boundary: str) -> bytes:
    """The whole message: `headers`, then the plain-text and HTML alternatives (in that order, so
    clients that can show HTML pick the last)."""
    out = [header(name, value) for name, value in headers]
    out.append(b"MIME-Version: 1.0\r\n")
    out.append(f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode("ascii"))
    for subtype, body in (("plain", text), ("html", html)):
        out.append(f'--{boundary}\r\nContent-Type: text/{subtype}; charset="utf-8"\r\n'.encode("ascii"))
        out.append(b"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
        out.append(_quoted_printable(body))
        out.append(CRLF)
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(out)
