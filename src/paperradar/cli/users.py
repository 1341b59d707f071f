"""`paperradar users ...` and `paperradar library ...`: operators' account commands, and a user's library
from the shell. Each command parses, makes one Library call, prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from paperradar.cli.sync import JsonFlag, _library
from paperradar.errors import InputError
from paperradar.models.account import User
from paperradar.service import Library

users_app = typer.Typer(help="Accounts: add operators and users, list them.", no_args_is_help=True)
library_app = typer.Typer(help="A user's library: import a Zotero/BibTeX export, export it.", no_args_is_help=True)


@users_app.command("add")
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's email (an existing account is updated).")],
    admin: Annotated[bool, typer.Option("--admin", help="Give the account the admin role.")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Make a verified account (or update one: admin role, new password); asks for a password if needed."""
    library = _library(ctx)
    password: str | None = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif library.accounts.user_by_email(email) is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user, made = library.accounts.add(email, password, admin)
    if as_json:
        typer.echo(json.dumps({**user.to_dict(), "created": made}))
    else:
        typer.echo(f"{'added' if made else 'updated'} {user.email}{' (admin)' if user.is_admin else ''}")


@users_app.command("list")
def list_users(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every account, oldest first."""
    users = _library(ctx).accounts.list()
    if as_json:
        typer.echo(json.dumps([u.to_dict() for u in users]))
        return
    for u in users:
        flags = ", ".join(f for f, on in (("admin", u.is_admin), ("verified", u.verified)) if on)
        typer.echo(f"{u.id:>5}  {u.email}" + (f"  ({flags})" if flags else ""))


UserOption = Annotated[str, typer.Option("--user", help="The email of the account whose library it is.")]


def _user(library: Library, email: str) -> User:
    found = library.accounts.user_by_email(email)
    if found is None:
        raise InputError(f"--user: no account with the email {email[:100]!r}", hint="see `paperradar users list`")
    return found


@library_app.command("import")
def import_bibtex(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A .bib file (Zotero: File > Export Library > BibTeX).")],
    user: UserOption,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Tag every imported paper so; repeatable.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Save the papers of a BibTeX file that match papers in the database; report those that do not."""
    library = _library(ctx)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read it ({error})") from None
    report = library.shelf.import_bibtex(_user(library, user), text, tags=tag)
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
        return
    typer.echo(f"{len(report.matched)} matched ({report.added} newly saved), {len(report.unmatched)} not found")
    for key, line, reason in report.unmatched:
        typer.echo(f"  {path}:{line} {key}: {reason}")


@library_app.command("export")
def export(
    ctx: typer.Context,
    user: UserOption,
    fmt: Annotated[str, typer.Option("--format", help="bibtex, csv or json.")] = "bibtex",
    tag: Annotated[str | None, typer.Option("--tag", help="Only papers with this tag.")] = None,
) -> None:
    """Print the library as BibTeX (Zotero imports it back), CSV or JSON."""
    library = _library(ctx)
    text, _media = library.shelf.export(_user(library, user), fmt, tag)
    typer.echo(text, nl=False)
