"""`ktp report` (the annual PDF) and `ktp evaluation …`: the SKM in a terminal, CSV exports,
forgetting old survey tickets, demo survey data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask_babel import force_locale
from sqlalchemy import select

from registry import audit, offices, periods, survey
from registry.evaluation import Evaluation, evaluate
from registry.indicators import offices_within
from registry.models import Office

from ..cli.common import check_writable, command, write_bytes
from ..database import actor, db
from . import exports, formatting, paper_forms, report, settings, wording


def _scope(office: str | None) -> tuple[list[str] | None, str | None]:
    """The offices of ``office``'s region and its name (None, None: every office)."""
    with db().read() as session:
        if office is None:
            return None, None
        found = offices.get(session, office)
        return offices_within(session, office), found.name


def _evaluate(period: periods.Period,
              office: str | None) -> tuple[Evaluation, dict[str, str], str | None]:
    codes, scope = _scope(office)
    with db().read() as session:
        ev = evaluate(session, codes, period, tz=settings.timezone(),
                      window_days=settings.setting("STOCK_WINDOW_DAYS"))
        names = dict(session.execute(select(Office.code, Office.name)).all())
    return ev, names, scope


@command(name="report")
@click.option("--year", type=click.IntRange(periods.FIRST_YEAR, periods.LAST_YEAR),
              required=True, help="The year to report on.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The PDF file to write.")
@click.option("--office", default=None, help="Only this office and the offices in its region.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def report_command(year: int, output: Path, office: str | None, lang: str) -> None:
    """Write the annual service evaluation report (SKM and indicators) as a PDF."""
    check_writable(output)
    ev, names, scope = _evaluate(periods.year(year), office)
    with force_locale(lang):
        pdf = report.render(ev, names, scope=scope or str(wording.ALL_OFFICES),
                            author=actor().name)
    write_bytes(output, pdf)
    with db().write() as session:
        audit.record(session, actor(), "evaluation.report", "report", str(year),
                     {"office": [None, office], "file": [None, str(output)]})
    result = ev.survey.overall
    click.echo(f"{output}: SKM {exports.fixed(result.converted, 2) or '-'} "
               f"({result.grade.letter if result.grade else '-'}), "
               f"{result.respondents} respondents, {ev.totals.handed_over} cards handed over")


@click.group(name="evaluation")
def evaluation_group() -> None:
    """The SKM survey and the service indicators."""


@command(evaluation_group, name="skm")
@click.option("--period", default=None, help="2026, 2026-03, 2026-Q1, 2026-S1 or "
                                             "2026-01-01..2026-01-31 (default: this year).")
@click.option("--office", default=None, help="Only this office and the offices in its region.")
def skm_command(period: str | None, office: str | None) -> None:
    """Show the SKM per element, with the number of answers behind each figure."""
    chosen = periods.parse(period) if period else periods.year(settings.today().year)
    ev, _names, scope = _evaluate(chosen, office)
    result = ev.survey.overall
    with force_locale("en"):
        click.echo(f"SKM {chosen.label()} · {scope or 'all offices'} · "
                   f"{result.respondents} respondents")
        for e in result.elements:
            click.echo(f"  U{e.element.number} {e.element.name:<42} n={e.answers:<6} "
                       f"NRR {formatting.nrr(e.nrr):>6}  {formatting.score(e.converted):>6}"
                       f"  {e.grade.letter if e.grade else '-'}")
        grade = result.grade
        click.echo(f"  index {formatting.index(result.index)}  score "
                   f"{formatting.score(result.converted)}  grade "
                   f"{grade.letter + ' ' + grade.label if grade else '-'}")
        click.echo(f"  sample needed {ev.survey.required} for {ev.survey.served_total} served")


@command(evaluation_group, name="export")
@click.argument("dataset", type=click.Choice(sorted(exports.DATASETS)))
@click.option("--period", default=None, help="As for `skm` (default: this year).")
@click.option("--office", default=None, help="Only this office and the offices in its region.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def export_command(dataset: str, period: str | None, office: str | None, output) -> None:
    """Write one of the dashboard's tables as CSV (to stdout by default)."""
    chosen = periods.parse(period) if period else periods.year(settings.today().year)
    ev, names, _scope_name = _evaluate(chosen, office)
    exports.write(output, dataset, ev, names)
    if getattr(output, "name", "-") not in ("-", "<stdout>"):
        click.echo(f"{dataset}: written to {output.name}", err=True)


@command(evaluation_group, name="forms")
@click.option("--office", required=True, help="The office whose forms these are.")
@click.option("--first", default=1, show_default=True, type=click.IntRange(1, 9999))
@click.option("--count", default=50, show_default=True, type=click.IntRange(1, 2000))
@click.option("--year", type=click.IntRange(periods.FIRST_YEAR, periods.LAST_YEAR),
              default=None, help="Default: this year.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def forms_command(office: str, first: int, count: int, year: int | None, lang: str,
                  output: Path) -> None:
    """Print numbered blank paper questionnaires (one per page) for an office."""
    check_writable(output)
    with db().read() as session:
        name = offices.get(session, office).name
    year = year or settings.today().year
    with force_locale(lang):
        pdf = paper_forms.render(office, name, year, first, count)
    write_bytes(output, pdf)
    click.echo(f"{output}: {paper_forms.serial(office, year, first)} .. "
               f"{paper_forms.serial(office, year, first + count - 1)}")


@command(evaluation_group, name="purge-codes")
def purge_command() -> None:
    """Forget survey tickets that expired long ago (SURVEY_TICKETS_KEEP_DAYS), and audit the
    kiosk answers of the days before today that are not audited yet."""
    keep = settings.setting("SURVEY_TICKETS_KEEP_DAYS")
    today = settings.today()
    before = today - dt.timedelta(days=keep)
    with db().write() as session:
        count = survey.purge_tickets(session, actor(), expired_before=before, today=today)
    click.echo(f"{count} survey ticket(s) that expired before {before} forgotten")


@command(evaluation_group, name="demo")
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 36))
@click.option("--seed", default=1, show_default=True, type=int)
def demo_command(months: int, seed: int) -> None:
    """Add a history of applications, cards, printers, stock and survey answers (demo only)."""
    from .demo import seed_evaluation

    report_ = seed_evaluation(db(), actor(), months=months, seed=seed)
    click.echo(f"demo evaluation data: {report_}")


commands = [report_command, evaluation_group]
