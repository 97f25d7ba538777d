"""`ktp printers …` and `ktp virtual-printer`: the card printers."""

from __future__ import annotations

import json
from pathlib import Path

import click

import drivers
from registry import printers

from .. import printers as configured
from ..database import actor, db
from .common import command


@click.group(name="printers")
def printers_group() -> None:
    """Card printers (usb://, tcp://, file://, virtual:// addresses)."""


@command(printers_group, name="add")
@click.argument("name")
@click.argument("uri")
@click.option("--office", "office_code", help="The office whose counter uses it, e.g. 33.14.")
def printers_add(name: str, uri: str, office_code: str | None) -> None:
    """Add printer NAME at URI, e.g. usb://0f49:0014?serial=A123 or tcp://10.0.0.7:9100."""
    try:
        uri = configured.check_uri(uri)
    except drivers.InvalidPrinterUriError as exc:
        raise click.ClickException(str(exc)) from None
    with db().write() as session:
        printer = printers.add(session, actor(), name, uri, office_code)
        click.echo(f"{printer.name}\t{printer.uri}\t{printer.office_code or '-'}")


@command(printers_group, name="list")
@click.option("--no-status", is_flag=True, help="Do not ask the printers how they are.")
def printers_list(no_status: bool) -> None:
    """List the printers, with each one's state."""
    with db().read() as session:
        rows = [(p.name, p.uri, p.office_code) for p in printers.listed(session)]
    for name, uri, office in rows:
        state = "" if no_status else "\t" + configured.probe(uri)[0].state
        click.echo(f"{name}\t{uri}\t{office or '-'}{state}")


@command(printers_group, name="status")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def printers_status(name: str, as_json: bool) -> None:
    """Show identity, state and counters of printer NAME; exit 1 when it cannot print."""
    with db().read() as session:
        uri = printers.get(session, name).uri
    status, identity = configured.probe(uri)
    if as_json:
        click.echo(json.dumps({"name": name, "uri": uri, "identity": identity,
                               "status": status.as_dict()}, default=str))
    else:
        click.echo(f"{name}  {uri}")
        for key, value in identity.items():
            click.echo(f"  {key}: {value}")
        for key, value in status.as_dict().items():
            click.echo(f"  {key}: {value}")
    if not status.ready:
        raise SystemExit(1)


@click.command(name="virtual-printer")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9100, show_default=True, type=int)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the printed cards (PNG per side) and cards.jsonl.")
@click.option("--cards", default=100, show_default=True, type=click.IntRange(0),
              help="Blank cards in the feeder.")
@click.option("--ribbon", default=500, show_default=True, type=click.IntRange(0),
              help="Prints left on the ribbon.")
@click.option("--print-seconds", default=0.0, show_default=True, type=click.FloatRange(0),
              help="Time to print one card (about 15 for a realistic demo).")
@click.option("--fault", "faults", multiple=True, metavar="KIND[@N]",
              help="feeder-empty, ribbon-ended, jam, cover-open or disconnect; from the start, "
                   "or at card N. Repeatable.")
@click.option("--name", default="virtual", show_default=True)
def virtual_printer(host: str, port: int, out_dir: Path, cards: int, ribbon: int,
                    print_seconds: float, faults: tuple[str, ...], name: str) -> None:
    """Run a virtual Evolis printer on TCP, for developers and tests (Ctrl-C stops it)."""
    from drivers.virtual import parse_fault
    from drivers.virtual.server import serve

    for fault in faults:
        try:
            parse_fault(fault)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--fault") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    serve(host, port, out_dir, cards=cards, ribbon=ribbon, print_seconds=print_seconds,
          faults=list(faults), name=name,
          announce=lambda uri: click.echo(f"virtual printer {name} on {uri}, cards to {out_dir}"))


commands = [printers_group, virtual_printer]
