"""Text no database can hold is refused at the door of `/api/` (and of any route called with
a bearer token), naming where it was.

A NUL character is refused by PostgreSQL (SQLite keeps it) and a lone surrogate (a JSON
``"\\ud800"``) cannot be encoded at all: either reached the database driver as a 500, on one
backend or both. A path or query parameter is a 400, a field of the JSON body a 422, in the
shape of the API's other errors; nothing is read or written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, request

from registry.validation import text_problem

from .errors import error_response


def _strings(value: Any, name: str) -> Iterator[tuple[str, str]]:
    """(field, text) for every string in a JSON value, keys included; nested values are
    named by the top-level field they belong to."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, name or key)
            yield from _strings(item, name or key)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, name)


def _first_problem() -> tuple[int, str, str, str] | None:
    for location, source in (("path", (request.view_args or {}).items()),
                             ("query", request.args.items(multi=True))):
        for name, value in source:
            for text in (name, value) if isinstance(value, str) else (name,):
                if problem := text_problem(text):
                    return 400, location, name, problem
    if request.is_json:
        body = request.get_json(silent=True)
        for name, text in _strings(body, ""):
            if problem := text_problem(text):
                return 422, "json", name or "_schema", problem
    return None


def _refuse_unstorable_text():
    # The pages refuse their own (`app.web.nul_bytes`), leaving out `/api/` and every request
    # with a bearer token, such as a script fetching `/evaluation/data.json`: those are ours.
    if not (request.path.startswith("/api/") or request.headers.get("Authorization")):
        return None
    found = _first_problem()
    if found is None:
        return None
    code, location, name, problem = found
    name = name.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")
    return error_response(code, f"{name}: {problem}", errors={location: {name: [problem]}})


def register(app: Flask) -> None:
    app.before_request(_refuse_unstorable_text)
