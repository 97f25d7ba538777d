"""Request bodies of `/api/v1` are JSON. A body that is not declared JSON would be read as no
body at all, and every required field reported missing: a 415 says what is wrong instead."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import request
from flask_smorest import abort

NOT_JSON = "the body is not JSON (Content-Type: application/json)"


def require_json() -> None:
    if not request.is_json:
        abort(415, message="send the request body as JSON, with Content-Type: application/json "
                           f"(got {request.mimetype or 'no Content-Type'})")


def json_body(view: Callable[..., Any]) -> Callable[..., Any]:
    """`require_json` before ``view`` parses its body (put it above ``blp.arguments``)."""
    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        require_json()
        return view(*args, **kwargs)
    return checked
