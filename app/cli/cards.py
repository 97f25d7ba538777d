"""`ktp card render`, `ktp photo set`, `ktp signature set`, `ktp print`: one card, by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

import drivers
import printing
from registry import applications, audit, printers, residents
from registry.models import PHOTO, SIGNATURE
from registry.models.issuance import DIVERIFIKASI, GAGAL_CETAK

from .. import cards, issuance, photos
from ..database import actor, db
from ..printers import open_printer
from .common import check_writable, command, write_bytes


@click.group(name="card")
def card_group() -> None:
    """KTP cards: render one to a file."""


@command(card_group, name="render")
@click.argument("nik")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="card.pdf (exact ID-1 page) or card.png (300 dpi).")
def card_render(nik: str, output: Path) -> None:
    """Render resident NIK's card to a PDF or PNG file."""
    render = {".pdf": printing.render_pdf, ".png": printing.render_png}.get(output.suffix.lower())
    if render is None:
        raise click.BadParameter("the file must end in .pdf or .png", param_hint="-o")
    check_writable(output)
    with db().read() as session:
        card = cards.card_data(session, residents.get(session, nik))
    try:
        drawn = render(card)
    except printing.PrintingError as exc:
        raise click.ClickException(str(exc)) from None
    write_bytes(output, drawn)
    click.echo(f"{output}")


def _image_command(kind: str) -> click.Command:
    @click.argument("nik")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--crop", help="left,top,right,bottom box to keep (3:4 is taken from it).")
    def set_image(nik: str, file: Path, crop: str | None) -> None:
        box = tuple(int(v) for v in crop.split(",")) if crop else None
        if box is not None and len(box) != 4:
            raise click.BadParameter("four numbers: left,top,right,bottom", param_hint="--crop")
        with db().write() as session:
            resident = residents.get(session, nik)
            try:
                stored = photos.store(session, actor(), resident, kind, file.read_bytes(), box)
            except printing.PhotoError as exc:
                raise click.ClickException(f"{file}: {exc}") from None
        for warning in stored.warnings:
            click.echo(f"warning: {warning['message']}", err=True)
        click.echo(f"{kind} of {nik} stored ({stored.width}x{stored.height}, "
                   f"sha256 {stored.sha256[:12]})")

    set_image.__doc__ = f"Store FILE (JPEG or PNG) as resident NIK's {kind}."
    group = click.Group(name=kind, help=f"The resident's {kind}.")
    command(group, name="set")(set_image)
    return group


@command(name="print")
@click.argument("nik")
@click.option("--printer", "printer_name", required=True, help="A printer from `ktp printers list`.")
@click.option("--proof", is_flag=True,
              help="A test print on a plain card: no application, no blank used, not recorded "
                   "as the resident's card (only audited).")
def print_card(nik: str, printer_name: str, proof: bool) -> None:
    """Print resident NIK's card; exits 1 with the printer's reason when no card came out.

    Without --proof this prints the resident's verified application, exactly as the counter
    does: a blank is taken from the office's stock and the card is recorded.
    """
    if proof:
        _proof(nik, printer_name)
        return
    database = db()
    with database.read() as session:
        resident = residents.get(session, nik)
        application = applications.open_for(session, resident.id)
        printer = printers.get(session, printer_name)
        if application is None or application.state not in (DIVERIFIKASI, GAGAL_CETAK):
            state = application.state if application else "none"
            raise click.ClickException(
                f"{nik} has no verified application (open application: {state}); take and "
                "verify one at the counter, or use --proof for a test print")
        office = printer.office_code or application.office_code
        app_id = application.id
    outcome = issuance.print_for(database, actor(), "application", app_id, nik, printer_name,
                                 office)
    if not outcome.printed:
        what = "held: check the printer" if outcome.held else "not printed"
        raise click.ClickException(f"card {what} on {printer_name}: {outcome.message}")
    click.echo(f"card of {nik} came out of {printer_name} (application {app_id})")


def _proof(nik: str, printer_name: str) -> None:
    database = db()
    with database.read() as session:
        card = cards.card_data(session, residents.get(session, nik))
        uri = printers.get(session, printer_name).uri
    try:
        job = cards.job_for(card, f"proof-{nik}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}")
        with open_printer(uri) as device:
            result = device.print_card(job)
    except printing.PrintingError as exc:
        raise click.ClickException(f"card not printed: {exc}") from None
    except drivers.PrinterError as exc:
        raise click.ClickException(f"card not printed on {printer_name}: {exc}") from None
    with database.write() as session:
        audit.record(session, actor(), "card.proof", "resident", nik,
                     {"printer": [None, printer_name], "card_number": [None, result.card_number],
                      "confirmed": [None, result.confirmed]},
                     note="test print on a plain card; not an issued KTP")
    if not result.confirmed:  # a one-way printer (file://): the bytes went, nothing answered
        click.echo(f"proof card of {nik}: the print stream was written to {printer_name} "
                   f"({uri}); this printer cannot confirm that a card came out")
        return
    click.echo(f"proof card of {nik} came out of {printer_name} (card number {result.card_number})")


commands = [card_group, _image_command(PHOTO), _image_command(SIGNATURE), print_card]
