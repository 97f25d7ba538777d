"""`/api/v1/printers`: the printers a clerk may use, with what each printer says of itself."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from drivers.status import STATES
from registry import printers

from .. import printers as configured
from ..auth import require_api_principal
from ..database import db
from .access import principal
from .schemas import Error

blp = Blueprint("printers", __name__, url_prefix="/api/v1", description="Card printers")
blp.before_request(require_api_principal)


class CountersOut(Schema):
    cards_inserted = fields.Integer()
    panels_printed = fields.Integer()


class PrinterStatusOut(Schema):
    """What the driver knows of the printer (`drivers.PrinterStatus.as_dict`), so a client can
    tell a busy printer (``printing``) from one an operator must clear (``jam``)."""

    state = fields.String(metadata={"enum": list(STATES), "description": (
        "the most urgent condition: offline, jam, cover-open, ribbon-ended, feeder-empty, "
        "printing (busy: the next card waits), ribbon-low or ready")})
    ready = fields.Boolean(metadata={"description": "online without a fault: a card sent now "
                                                    "prints (after the one it is printing)"})
    online = fields.Boolean()
    reason = fields.String(allow_none=True)
    printing = fields.Boolean(metadata={"description": "printing a card (busy, not a fault)"})
    jam = fields.Boolean(metadata={"description": "a card is jammed: an operator must clear it"})
    cover_open = fields.Boolean()
    feeder_empty = fields.Boolean()
    ribbon_ended = fields.Boolean()
    ribbon_low = fields.Boolean()
    ribbon_remaining = fields.Integer(allow_none=True)
    card_inside = fields.Boolean()
    counters = fields.Nested(CountersOut, allow_none=True)


class PrinterOut(Schema):
    name = fields.String()
    uri = fields.String()
    office_code = fields.String(allow_none=True)
    enabled = fields.Boolean()
    model = fields.String(allow_none=True)
    serial = fields.String(allow_none=True)
    status = fields.Nested(PrinterStatusOut, allow_none=True)


class PrinterArgs(Schema):
    status = fields.Boolean(load_default=True, metadata={
        "description": "ask each printer for its state (slower for printers that are off)"})


def printer_out(printer: Any, with_status: bool) -> dict[str, Any]:
    out = {"name": printer.name, "uri": printer.uri, "office_code": printer.office_code,
           "enabled": printer.enabled, "model": None, "serial": None, "status": None}
    if with_status:
        status, identity = configured.probe(printer.uri)
        out.update(model=identity.get("model"), serial=identity.get("serial"),
                   status=status.as_dict())
    return out


@blp.route("/printers")
class Printers(MethodView):
    @blp.arguments(PrinterArgs, location="query")
    @blp.response(200, PrinterOut(many=True))
    @blp.alt_response(401, schema=Error, description="not signed in")
    def get(self, args: dict[str, Any]):
        """The printers of the clerk's office and the offices under it."""
        me = principal()
        with db().read() as session:
            rows = [p for p in printers.listed(session)
                    if p.office_code is None or me.serves(p.office_code)]
        return [printer_out(p, args["status"]) for p in rows]
