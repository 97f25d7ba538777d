"""`/api/v1/batches`: batch reprint jobs for supervisors, and held cards for clerks."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from registry import batch_progress, batches
from registry.errors import NotFoundError
from registry.models import OPERATOR, SUPERVISOR
from registry.models.base import MAX_ROW_ID
from registry.models.batch import Batch

from ..api.access import deny, principal, require_role
from ..api.bodies import NOT_JSON, json_body
from ..api.schemas import Error
from ..auth import require_api_principal
from ..database import db
from . import selection as chosen
from .schemas import BatchCreate, BatchOut, BatchSummary, ItemsArgs, ResolveIn, ResolveOut
from .service import resolve
from .status import status

blp = Blueprint("batch_api", __name__, url_prefix="/api/v1",
                description="Batch reprint jobs: many cards printed exactly once")
blp.before_request(require_api_principal)

BATCH = f"/batches/<int(max={MAX_ROW_ID}):batch_id>"
_ERRORS = {401: "not signed in", 403: "outside your office's area or role", 404: "not found",
           409: "the batch or card is not in a state that allows this",
           415: NOT_JSON, 422: "the request is not valid"}


def _documented(*codes: int):
    def wrap(view):
        for code in codes:
            view = blp.alt_response(code, schema=Error, description=_ERRORS[code])(view)
        return view
    return wrap


def _visible(session: Any, batch_id: int) -> Batch:
    batch = batches.get(session, batch_id)
    if not principal().serves(batch.office_code):
        deny(f"batch {batch_id} belongs to office {batch.office_code}", "batch", str(batch_id))
    return batch


def _within_area(code: str | None) -> None:
    me = principal()
    if code and not me.serves(code):
        deny(f"area {code} is outside the area of office {me.office_code}", "region", code)


@blp.route("/batches")
class Batches(MethodView):
    @blp.response(200, BatchSummary(many=True))
    @_documented(401)
    def get(self):
        """The newest batches of your office and the offices under it."""
        with db().read() as session:
            return [batches.as_summary(b)
                    for b in batches.listed(session, principal().office_code)]

    @json_body
    @blp.arguments(BatchCreate)
    @blp.response(201, BatchOut)
    @_documented(401, 403, 409, 415, 422)
    def post(self, data: dict[str, Any]):
        """Make a batch from a kecamatan, a desa, a list of NIKs or a search; residents who
        cannot get a card are listed as skipped with the reason. Supervisors only."""
        require_role(SUPERVISOR, action="make batches")
        for key in ("kecamatan", "desa", "area"):
            _within_area(data.get(key))
        area = data.get("area")
        if data.get("q") is not None and area is None:
            area = principal().office_code  # a search stays within the supervisor's area
        picked = chosen.from_choice(kecamatan=data.get("kecamatan"), desa=data.get("desa"),
                                    niks=data.get("niks"), q=data.get("q"), area=area)
        with db().write() as session:
            batch = batches.create(session, principal().actor, picked, reason=data["reason"],
                                   office_code=principal().office_code,
                                   area=principal().office_code)
            return status(session, batch)


@blp.route(BATCH)
class BatchItem(MethodView):
    @blp.arguments(ItemsArgs, location="query")
    @blp.response(200, BatchOut)
    @_documented(401, 403, 404)
    def get(self, args: dict[str, Any], batch_id: int):
        """Progress (cards per state, rate, time left), printers, the cards to act on, and a
        page of per-card outcomes (``page``, ``per_page``, ``state``)."""
        with db().read() as session:
            batch = _visible(session, batch_id)
            return status(session, batch, items_page=args["page"], per_page=args["per_page"],
                          states=tuple(args["state"]))


def _change_route(action: str, rule, doc: str) -> None:
    class Change(MethodView):
        @blp.response(200, BatchOut)
        @_documented(401, 403, 404, 409)
        def post(self, batch_id: int):
            require_role(SUPERVISOR, action=f"{action} batches")
            with db().write() as session:
                batch = _visible(session, batch_id)
                if action == "retry":
                    rule(session, principal().actor, batch, area=principal().office_code)
                else:
                    rule(session, principal().actor, batch)
                return status(session, batch)

    Change.post.__doc__ = doc
    Change.__name__ = f"Batch{action.title()}"
    blp.route(f"{BATCH}/{action}")(Change)


_change_route("pause", batches.pause, "Take no more cards from this batch.")
_change_route("resume", batches.resume, "Take cards from this paused batch again.")
_change_route("cancel", batches.cancel, "Cancel the cards not printed yet.")
_change_route("retry", batches.retry,
              "Queue the failed cards again, and the skipped ones whose reason has gone.")


@blp.route(f"{BATCH}/items/<int(max={MAX_ROW_ID}):item_id>/resolve")
class ResolveHeld(MethodView):
    @json_body
    @blp.arguments(ResolveIn)
    @blp.response(200, ResolveOut)
    @_documented(401, 403, 404, 409, 415, 422)
    def post(self, data: dict[str, Any], batch_id: int, item_id: int):
        """Say what you found at the printer for a held card."""
        require_role(OPERATOR, SUPERVISOR, action="resolve held cards")
        with db().read() as session:
            _visible(session, batch_id)
            if batch_progress.item(session, batch_id, item_id) is None:
                raise NotFoundError("card", f"{item_id} of batch {batch_id}")
        resolve(db(), principal().actor, item_id, data["finding"])
        with db().read() as session:
            return {"item": batch_progress.item(session, batch_id, item_id)}
