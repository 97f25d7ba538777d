"""What every command shares: the database, the acting operator, errors as messages."""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import g
from flask.cli import with_appcontext

from registry.audit import Actor
from registry.errors import InvalidRecordError, RegistryError
from registry.validation import text_problem


def cli_actor() -> Actor:
    """Writes from the console are audited as the operating-system user who typed them."""
    try:
        name = getpass.getuser()
    except OSError:
        name = "unknown"
    return Actor(f"cli:{name}")


def command(group: click.Group | None = None, **kwargs: Any) -> Callable[..., click.Command]:
    """A click command in the app context, acting as `cli_actor`, with registry errors shown
    as one clear line and a non-zero exit instead of a traceback."""

    def wrap(fn: Callable[..., Any]) -> click.Command:
        @functools.wraps(fn)
        def run(*args: Any, **kw: Any) -> Any:
            g.actor = cli_actor()
            _refuse_unstorable_text(kw)
            try:
                return fn(*args, **kw)
            except InvalidRecordError as exc:
                lines = [f"  {f}: {', '.join(r)}" for f, r in exc.errors.items()]
                raise click.ClickException("invalid:\n" + "\n".join(lines)) from None
            except RegistryError as exc:
                raise click.ClickException(str(exc)) from None

        maker = group.command if group is not None else click.command
        return maker(**kwargs)(with_appcontext(run))

    return wrap


def _refuse_unstorable_text(values: dict[str, Any]) -> None:
    """Bytes that are not UTF-8 in an argument (Python keeps them as lone surrogates) cannot
    be stored or even looked up: say which argument, rather than fail in the database driver."""
    params = {p.name: p for p in click.get_current_context().command.params}
    for name, value in values.items():
        for text in value if isinstance(value, (tuple, list)) else (value,):
            if isinstance(text, str) and (problem := text_problem(text)):
                param = params.get(name)
                shown = (param.opts[0] if isinstance(param, click.Option) and param.opts
                         else param.human_readable_name if param is not None else name)
                raise click.ClickException(f"{shown} {problem}")


def check_writable(path: Path) -> None:
    """Refuse before any work a file that cannot be written: its folder is missing or closed."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"{path}: cannot write there: folder {folder} does not exist")
    if path.is_dir():
        raise click.ClickException(f"{path}: cannot write there: it is a folder")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise click.ClickException(f"{path}: cannot write there: permission denied")


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; what `check_writable` could not foresee (a full disk, a
    folder removed meanwhile) is one line too, not a traceback."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write there: {exc.strerror or exc}") from None
