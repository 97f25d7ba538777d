"""`ktp residents import|export`: residents in the SIAK-like CSV layout."""

from __future__ import annotations

from pathlib import Path

import click

from registry.exporter import export_csv
from registry.importer import ImportFileError, import_csv

from ..database import actor, db
from .common import check_writable, command
from .progress import progress

MAX_LISTED = 50


@click.group(name="residents")
def residents_group() -> None:
    """Import and export residents (CSV, layout in the README)."""


def _count_rows(path: Path) -> int:
    with path.open("rb") as f:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1, 0)


def rejects_path(file: Path) -> Path:
    """Where the rejected rows of FILE go by default: beside it, ``.rejects.csv`` in place of
    its extension (``warga.csv`` -> ``warga.rejects.csv``)."""
    return file.with_suffix(".rejects.csv")


@command(residents_group, name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Import the good rows and write the bad ones to the rejects file.")
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path),
              help="Where rejected rows go (default: FILE with .rejects.csv in place of its "
                   "extension: warga.csv -> warga.rejects.csv).")
def residents_import(file: Path, skip_invalid: bool, rejects: Path | None) -> None:
    """Import residents from FILE: all or nothing, unless --skip-invalid."""
    rejects = rejects or rejects_path(file)
    if skip_invalid:
        check_writable(rejects)
    try:
        with progress("checking and importing", _count_rows(file)) as advance:
            report = import_csv(db(), file, actor(), skip_invalid=skip_invalid,
                                rejects=rejects if skip_invalid else None, progress=advance)
    except ImportFileError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or file}: {exc.strerror or exc}") from None
    for warning in report.warnings[:MAX_LISTED]:
        click.echo(f"warning: {warning}", err=True)
    for error in report.errors[:MAX_LISTED]:
        click.echo(f"error: {error}", err=True)
    hidden = len(report.errors) - MAX_LISTED
    if hidden > 0:
        click.echo(f"... and {hidden} more errors", err=True)
    if report.errors and not skip_invalid:
        raise click.ClickException(
            f"nothing imported: {len(report.rejected_lines)} of {report.rows} rows are invalid "
            "(fix them, or use --skip-invalid to import the rest)")
    click.echo(f"imported {report.imported} of {report.rows} rows, "
               f"{report.families_created} new families")
    if report.errors:
        click.echo(f"rejected {len(report.rejected_lines)} rows, written to {rejects}")


@command(residents_group, name="export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--area", help="Only residents of this region code (e.g. 33.14.10).")
def residents_export(file: Path, area: str | None) -> None:
    """Export residents to FILE in the import layout ('-' for standard output)."""
    if str(file) == "-":
        count = export_csv(db(), click.get_text_stream("stdout"), area=area)
    else:
        check_writable(file)
        try:
            with file.open("w", newline="", encoding="utf-8") as out:
                count = export_csv(db(), out, area=area)
        except OSError as exc:
            raise click.ClickException(f"{file}: cannot write there: "
                                       f"{exc.strerror or exc}") from None
    click.echo(f"exported {count} residents", err=True)


commands = [residents_group]
