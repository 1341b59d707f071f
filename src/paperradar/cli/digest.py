"""`paperradar digest ...` and `paperradar subscribers ...`: the daily email digest, for operators and cron."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from paperradar.cli.sync import JsonFlag, _library, parse_day

digest_app = typer.Typer(help="The daily email digest (see docs/digest.md).", no_args_is_help=True)
subscribers_app = typer.Typer(help="Who gets the daily digest.", no_args_is_help=True)


@digest_app.command("send")
def send(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="Day of the digest, YYYY-MM-DD (default today).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Render and count; send and record nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Send each due, confirmed subscriber the day's digest once: safe to rerun or to run beside another run.

    Each digest is claimed before it goes and recorded after, so concurrent or slow runs never both send
    one. Only a crash after the SMTP server accepted a mail and before it was recorded sends that one
    digest again (same Message-ID) on the next run; see docs/digest.md.
    """
    summary = _library(ctx).digests.send(parse_day(day, "--date"), dry_run=dry_run)
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        verb = "would send" if dry_run else "sent"
        count = summary.due if dry_run else summary.sent
        counts = f"skipped {summary.skipped}, refused {summary.refused}, failed {summary.failed}"
        if summary.broken:
            counts += f", {summary.broken} could not be composed (see the log above; they stay due)"
        if summary.lost:
            counts += f", {summary.lost} sent after their claim was taken (they may get two; see the log)"
        typer.echo(f"{summary.day}: {verb} {count} of {summary.due} due ({summary.papers} papers); {counts}", err=True)
        if summary.papers == 0:
            typer.echo("nothing is trending on that day, so nothing was sent: sync first, or pick --date", err=True)
    if summary.error:
        typer.echo(f"error: {summary.error}", err=True)
        sys.exit(1)


@subscribers_app.command("add")
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The address.")],
    confirmed: Annotated[
        bool, typer.Option("--confirmed", help="Active at once, no confirmation mail (you have their consent).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a subscriber; without --confirmed they get the confirmation mail, as from the subscribe form."""
    subscriber, changed = _library(ctx).digests.add_subscriber(email, confirmed=confirmed)
    if as_json:
        typer.echo(json.dumps({**subscriber.to_dict(), "changed": changed}, indent=2))
    else:
        typer.echo(f"{subscriber.email}: {subscriber.status}{'' if changed else ' (unchanged)'}")


@subscribers_app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only pending, active or unsubscribed ones.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Every subscriber with their status."""
    found = _library(ctx).digests.subscribers(status)
    if as_json:
        typer.echo(json.dumps([s.to_dict() for s in found], indent=2))
        return
    for s in found:
        typer.echo(f"{s.id}\t{s.email}\t{s.status}\t{s.created_at:%Y-%m-%d}")
