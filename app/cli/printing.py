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


@click.group(name="virtual-printer", invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9100, show_default=True, type=click.IntRange(0, 65535))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the printed cards (PNG per side), cards.jsonl and the printer's "
                   "state: the folder is the printer.")
@click.option("--cards", default=100, show_default=True, type=click.IntRange(0),
              help="Blank cards in the feeder.")
@click.option("--ribbon", default=500, show_default=True, type=click.IntRange(0),
              help="Prints left on the ribbon.")
@click.option("--ribbon-type", default="ymcko", show_default=True,
              type=click.Choice(["k", "ko", "ymcko", "ymckok"]),
              help="The ribbon fitted: a panel it lacks is refused as a real printer does.")
@click.option("--print-seconds", default=0.0, show_default=True, type=click.FloatRange(0),
              help="Time to print one card (about 15 for a realistic demo).")
@click.option("--fault", "faults", multiple=True, metavar="KIND[@N]",
              help="feeder-empty, ribbon-ended, jam, cover-open or disconnect; from the start, "
                   "or at card N. Repeatable.")
@click.option("--name", default="virtual", show_default=True)
@click.option("--control-port", default=0, show_default=True, type=click.IntRange(0, 65535),
              help="Loopback port for `ktp virtual-printer control` (0: a free one, written to "
                   "OUT/control.json).")
@click.pass_context
def virtual_printer(ctx: click.Context, host: str, port: int, out_dir: Path | None, cards: int,
                    ribbon: int, ribbon_type: str, print_seconds: float, faults: tuple[str, ...],
                    name: str, control_port: int) -> None:
    """Run a virtual Evolis printer on TCP, for developers and tests (Ctrl-C stops it).

    While it runs, `ktp virtual-printer control --out OUT ACTION` does what an operator does
    at the printer (load cards, clear a jam, plug the cable back in...)."""
    if ctx.invoked_subcommand is not None:
        return
    from drivers.virtual import parse_fault
    from drivers.virtual.control import read_address
    from drivers.virtual.server import serve

    if out_dir is None:
        raise click.UsageError("Missing option '--out'.")
    for fault in faults:
        try:
            parse_fault(fault)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--fault") from None
    out_dir.mkdir(parents=True, exist_ok=True)

    def announce(uri: str) -> None:
        control = read_address(out_dir)[1]
        click.echo(f"virtual printer {name} on {uri}, cards to {out_dir} (control port "
                   f"{control}: ktp virtual-printer control --out {out_dir} ACTION)")

    try:
        serve(host, port, out_dir, cards=cards, ribbon=ribbon, ribbon_type=ribbon_type,
              print_seconds=print_seconds, faults=list(faults), name=name,
              control_port=control_port, announce=announce)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if "in use" not in reason:
            reason = f"cannot listen on {host}:{port} ({reason})"
        raise click.ClickException(f"{reason}; choose another with --port / --control-port, "
                                   "or stop the program using it.") from None


CONTROL_ACTIONS = ("load-cards N, load-ribbon N [TYPE], close-cover, open-cover, clear-jam, "
                   "reconnect, clear KIND|all, fault KIND[@N], state")


@virtual_printer.command(name="control")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The running printer's output folder (its control port is written there).")
@click.option("--control-port", type=click.IntRange(1, 65535),
              help="The printer's control port, instead of --out.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.argument("action")
@click.argument("arguments", nargs=-1)
def virtual_printer_control(out_dir: Path | None, control_port: int | None, host: str,
                            action: str, arguments: tuple[str, ...]) -> None:
    """Act on a virtual printer as an operator at the printer would: a running `ktp
    virtual-printer` (through its control port), or a virtual://NAME printer of the app
    (--out instance/virtual-printers/NAME, through its folder).

    ACTION: load-cards N, load-ribbon N [TYPE], close-cover, open-cover, clear-jam, reconnect,
    clear KIND|all, fault KIND[@N], state (the printer's state as JSON)."""
    from drivers.virtual.control import control, send

    if (out_dir is None) == (control_port is None):
        raise click.UsageError("Give the printer's --out folder or its --control-port.")
    try:
        if out_dir is not None:
            reply = control(out_dir, action, *arguments)
        else:
            assert control_port is not None
            reply = send(host, control_port, action, *arguments)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ACTION") from None
    except OSError as exc:
        raise click.ClickException(f"cannot reach the virtual printer: {exc}") from None
    if reply.startswith("ERROR"):
        raise click.ClickException(f"the printer answered {reply}: use {CONTROL_ACTIONS}")
    click.echo(reply)


commands = [printers_group, virtual_printer]
