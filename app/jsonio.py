"""JSON with ISO 8601 dates (Flask's default writes HTTP dates, which no schema calls a date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.json.provider import DefaultJSONProvider


class IsoJSONProvider(DefaultJSONProvider):
    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, dt.date | dt.datetime):
            return o.isoformat()
        return DefaultJSONProvider.default(o)
