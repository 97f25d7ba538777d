"""The date filters of the audit log and the reports: a date a clerk can mean, and a period
whose end is not before its start.

``0001-01-01`` or ``9999-12-31`` passed the DateField and then overflowed when the day was
turned into an instant in the office's time zone (a 500); an end before the start silently
showed nothing (and the audit log's CSV export wrote an empty file, itself audited).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from wtforms import DateField

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def check_period(since: DateField, until: DateField) -> bool:
    """Clear (with an error on the field) a date out of range; False when a date was refused
    or the period ends before it starts."""
    ok = True
    for field in (since, until):
        if field.data and not EARLIEST <= field.data <= LATEST:
            field.errors = [*field.errors, _("Give a date between %(earliest)s and %(latest)s.",
                                             earliest=EARLIEST.isoformat(),
                                             latest=LATEST.isoformat())]
            field.data, ok = None, False
    if ends_before_start(since, until):
        until.errors = [*until.errors, _("The end of the period is before its start.")]
        ok = False
    return ok


def ends_before_start(since: DateField, until: DateField) -> bool:
    """The period asked for has no day in it: nothing to list, nothing to export."""
    return bool(since.data and until.data and until.data < since.data)
