"""`ktp batch …` and `ktp worker`: batch reprint jobs from the console."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from pathlib import Path

import click
from flask import current_app

from registry import batch_progress, batches, printers
from registry.errors import InvalidRecordError
from registry.models.base import MAX_ROW_ID
from registry.models.batch import ITEM_STATES

from .. import issuance
from ..cli.common import command
from ..database import actor, db
from ..jsonio import IsoJSONProvider
from . import selection as chosen
from .printer_loop import Options, cannot_confirm
from .settings import settings
from .status import one_line, status, stock_note
from .worker import Worker, keep_memory_flat

ID = click.IntRange(max=MAX_ROW_ID)


@click.group(name="batch")
def batch_group() -> None:
    """Batch reprint jobs: make one, follow it, pause, resume, cancel, retry."""


@command(batch_group, name="create")
@click.option("--kecamatan", metavar="CODE", help="Every resident of a kecamatan (33.14.10).")
@click.option("--desa", metavar="CODE", help="Every resident of a desa (33.14.10.2007).")
@click.option("--niks", "niks_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A CSV with a nik column, or one NIK a line.")
@click.option("--search", "q", metavar="QUERY", help="Residents a search finds (name, NIK...).")
@click.option("--area", metavar="CODE",
              help="With --search only: residents living there (a whole area is --kecamatan "
                   "or --desa).")
@click.option("--reason", required=True, help="Why these cards are printed (kept with each).")
@click.option("--office", "office_code", metavar="CODE",
              help="Whose blank cards to use (default: the KPT of the area).")
def batch_create(kecamatan, desa, niks_file, q, area, reason, office_code) -> None:
    """Make a batch and print its id; residents who cannot get a card are listed as skipped."""
    if area is not None and q is None:
        raise click.UsageError("--area only narrows --search; for every resident of an area "
                               "use --kecamatan or --desa")
    niks = chosen.parse_niks(_read_text(niks_file)) if niks_file else None
    picked = chosen.from_choice(kecamatan=kecamatan, desa=desa, niks=niks, q=q, area=area,
                                source=niks_file.name if niks_file else None)
    with db().write() as session:
        office = office_code or chosen.default_office(session, picked)
        batch = batches.create(session, actor(), picked, reason=reason, office_code=office)
        batch_id, total, skipped = batch.id, batch.total, batch.skipped
    click.echo(f"batch {batch_id}: {total - skipped} cards to print from office {office}, "
               f"{skipped} skipped (ktp batch items {batch_id} --state skipped)", err=True)
    click.echo(batch_id)


def _read_text(path: Path) -> str:
    """A NIK list's text (`selection.nik_list_text`); what cannot be read in one line."""
    try:
        return chosen.nik_list_text(path.read_bytes())
    except InvalidRecordError as exc:
        raise click.ClickException(f"{path}: {exc.errors['niks'][0]}") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read it: {exc.strerror or exc}") from None


@command(batch_group, name="list")
def batch_list() -> None:
    """The newest batches."""
    with db().read() as session:
        for batch in batches.listed(session):
            click.echo(f"{batch.id}\t{batch.state}\t{batch.total}\t{batch.office_code}\t"
                       f"{batch.label}\t{batch.reason}")


def _status(batch_id: int, **kwargs) -> dict:
    with db().read() as session:
        return status(session, batches.get(session, batch_id), **kwargs)


def _dumps(data: dict) -> str:
    return json.dumps(data, default=IsoJSONProvider.default)


@command(batch_group, name="status")
@click.argument("batch_id", type=ID)
@click.option("--follow", is_flag=True, help="Keep showing progress until no card is left.")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts (a line per update "
                                                         "with --follow).")
@click.option("--every", default=1.0, show_default=True, type=click.FloatRange(0.05),
              help="Seconds between updates with --follow.")
def batch_status(batch_id: int, follow: bool, as_json: bool, every: float) -> None:
    """Progress of a batch: cards per state, rate, time left, printers, cards to act on."""
    data = _status(batch_id)
    bar = follow and sys.stderr.isatty() and not as_json
    if follow:
        data = _follow(batch_id, data, as_json, bar, every)
    if as_json:
        if not follow:
            click.echo(_dumps(data))
        return
    if bar or not follow:
        click.echo(one_line(data))
    click.echo(f"  reason: {data['reason']}  selection: {data['selection']}  "
               f"office: {data['office_code']}")
    for printer in data["printers"]:
        if printer["worker"] or printer["cards_printed"]:
            click.echo(f"  printer {printer['name']}: {printer['state']}"
                       f"{' - ' + printer['detail'] if printer['detail'] else ''}")
    for item in data["failures"]:
        click.echo(f"  {item['state']} card {item['id']} {item['nik']}: {item['message']}")


def _finished(data: dict) -> bool:
    return data["state"] in ("done", "cancelled") and not data["progress"]["counts"]["printing"]


def _follow(batch_id: int, data: dict, as_json: bool, on_terminal: bool, every: float) -> dict:
    """A progress bar on a terminal; otherwise a line (or a JSON line) whenever it changes."""
    bar = None
    if on_terminal:
        bar = click.progressbar(length=data["progress"]["total"], label=f"batch {batch_id}",
                                file=sys.stderr, show_pos=True, show_eta=True,
                                item_show_func=lambda rate: rate)
        bar.__enter__()
    shown, said = 0, None
    try:
        while True:
            p = data["progress"]
            rate = f"{p['per_minute']:.1f}/min" if p["per_minute"] else ""
            if bar is not None:
                bar.show_eta = not p["waiting_for_stock"]
                rate = stock_note(data).lstrip(" ·") or rate
                bar.update(p["done"] - shown, rate)
                shown = p["done"]
            else:
                line = _dumps(data) if as_json else one_line(data)
                if line != said:
                    click.echo(line)
                    said = line
            if _finished(data):
                return data
            time.sleep(every)
            data = _status(batch_id)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@command(batch_group, name="items")
@click.argument("batch_id", type=ID)
@click.option("--state", "states", multiple=True, type=click.Choice(ITEM_STATES),
              help="Only cards in this state (repeatable).")
def batch_items(batch_id: int, states: tuple[str, ...]) -> None:
    """Every card of a batch with its outcome (tab-separated), e.g. the skipped ones."""
    page = 1
    with db().read() as session:
        batches.get(session, batch_id)
        while True:
            rows, total = batch_progress.items(session, batch_id, states=states, page=page,
                                               per_page=1000)
            for r in rows:
                click.echo("\t".join(str(v if v is not None else "-") for v in (
                    r["id"], r["nik"], r["state"], r["skip_code"] or r["card_reason"],
                    r["printer"], r["message"])))
            if page * 1000 >= total:
                return
            page += 1


def _change(name: str, rule, doc: str) -> click.Command:
    @click.argument("batch_id", type=ID)
    def change(batch_id: int) -> None:
        with db().write() as session:
            batch = batches.get(session, batch_id)
            result = rule(session, actor(), batch)
            state = batch.state
        extra = f" ({result} cards)" if isinstance(result, int) else ""
        click.echo(f"batch {batch_id} {state}{extra}")

    change.__doc__ = doc
    return command(batch_group, name=name)(change)


_change("pause", batches.pause, "Stop taking cards from a batch (cards in hand finish).")
_change("resume", batches.resume, "Take cards from a paused batch again.")
_change("cancel", batches.cancel, "Cancel the cards not printed yet.")
_change("retry", batches.retry, "Queue failed cards again, and skipped ones whose reason went.")


@command(batch_group, name="resolve")
@click.argument("item_id", type=ID)
@click.argument("finding", type=click.Choice(issuance.HELD_FINDINGS))
def batch_resolve(item_id: int, finding: str) -> None:
    """Say what you found at the printer for a held card: it came out (printed), a blank was
    wasted (spoiled), or no blank left the feeder (untouched); the last two queue it again."""
    from .service import resolve

    outcome = resolve(db(), actor(), item_id, finding)
    click.echo(f"card {item_id}: {'printed' if outcome.printed else 'queued again'}")


@command(batch_group, name="settle")
@click.argument("printer")
def batch_settle(printer: str) -> None:
    """Settle the cards left open on PRINTER by a worker that is gone for good, asking the
    printer what came out; prints nothing."""
    from .service import settle_printer

    ttl = dt.timedelta(seconds=settings().lease_seconds)
    done = settle_printer(db(), actor(), printer, ttl)
    click.echo(f"{printer}: {done.settled} settled, {done.requeued} queued again, "
               f"{len(done.waiting)} held until the printer answers")


@command(name="worker")
@click.option("--printer", "names", multiple=True, required=True,
              help="A printer to drive (repeatable); see `ktp printers list`.")
@click.option("--exit-when-idle", is_flag=True, help="Stop once no card is left to take.")
@click.option("--poll-seconds", type=click.FloatRange(0.01), help="Look for new cards this often.")
@click.option("--fault-poll-seconds", type=click.FloatRange(0.01),
              help="Ask a faulted printer this often whether it is ready.")
@click.option("--lease-seconds", type=click.FloatRange(1),
              help="A silent worker's printers may be taken over after this.")
def worker_command(names, exit_when_idle, poll_seconds, fault_poll_seconds,
                   lease_seconds) -> None:
    """Print batch cards on these printers, one card at a time each, exactly once."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(threadName)s %(message)s")
    keep_memory_flat()
    with db().read() as session:
        chosen_printers = [printers.get(session, name) for name in names]
        disabled = [p.name for p in chosen_printers if not p.enabled]
        one_way = [f"{p.name} ({p.uri})" for p in chosen_printers if cannot_confirm(p.uri)]
    if disabled:
        raise click.ClickException(f"printer {', '.join(disabled)} is disabled")
    if one_way:
        raise click.ClickException(
            f"printer {', '.join(one_way)} only takes data and cannot confirm that a card came "
            "out, so a worker could not print each card exactly once; give the worker a "
            "usb://, tcp:// or virtual:// printer (use `ktp print --proof` to write a card's "
            "stream to a file)")
    chosen_settings = settings().but(poll_seconds=poll_seconds,
                                     fault_poll_seconds=fault_poll_seconds,
                                     lease_seconds=lease_seconds)
    options = Options(exit_when_idle=exit_when_idle, settings=chosen_settings)
    Worker(current_app._get_current_object(), list(names), options).run()


commands = [batch_group, worker_command]
