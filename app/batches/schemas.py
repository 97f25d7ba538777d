"""Request and response schemas of `/api/v1/batches` (they also make its OpenAPI document)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from registry.batches import MAX_REASON
from registry.models.batch import BATCH_STATES, ITEM_STATES

from ..api.schemas import DIGITS_16, REGION_CODE
from ..issuance import HELD_FINDINGS
from .selection import MAX_NIKS


class BatchCreate(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, MAX_REASON), metadata={
        "description": "why these cards are printed; kept with the batch and each card",
        "example": "new card layout 2026"})
    kecamatan = fields.String(validate=REGION_CODE, metadata={"example": "33.14.10"})
    desa = fields.String(validate=REGION_CODE, metadata={"example": "33.14.10.1001"})
    niks = fields.List(fields.String(validate=DIGITS_16), validate=validate.Length(1, MAX_NIKS),
                       metadata={"description": "a list of NIKs (e.g. damaged cards)"})
    q = fields.String(validate=validate.Length(1, 100), metadata={
        "description": "a search, as the residents search takes it"})
    area = fields.String(validate=REGION_CODE, metadata={
        "description": "with q only (refused with another choice): only residents living "
                       "there"})


class ItemsArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    state = fields.List(fields.String(validate=validate.OneOf(ITEM_STATES)), load_default=list,
                        metadata={"description": "only cards in these states (repeatable)"})


class ItemOut(Schema):
    id = fields.Integer()
    nik = fields.String()
    nama = fields.String(allow_none=True)
    state = fields.String(metadata={"enum": list(ITEM_STATES)})
    skip_code = fields.String(allow_none=True, metadata={
        "description": "why a skipped card is left out (no-photo, deceased, ...)"})
    message = fields.String(allow_none=True)
    attempts = fields.Integer()
    spoiled = fields.Integer(metadata={"description": "blanks spoiled on this card"})
    printer = fields.String(allow_none=True)
    card_reason = fields.String(allow_none=True, metadata={"description": "BARU or CETAK ULANG"})
    card_id = fields.Integer(allow_none=True)
    copy_number = fields.Integer(allow_none=True)
    claimed_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class ItemsPage(Schema):
    items = fields.List(fields.Nested(ItemOut))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class ProgressOut(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "cards per state"})
    total = fields.Integer()
    done = fields.Integer(metadata={"description": "printed, failed, skipped or cancelled"})
    remaining = fields.Integer(metadata={"description": "pending, printing or held"})
    per_minute = fields.Float(allow_none=True)
    seconds_left = fields.Float(allow_none=True)
    spoiled = fields.Integer(metadata={"description": "blanks spoiled on the way"})
    blanks_available = fields.Integer(allow_none=True, metadata={
        "description": "a running batch with cards to take: the blanks its office has left"})
    waiting_for_stock = fields.Boolean(metadata={
        "description": "its cards wait for blanks (none left at its office); no time left "
                       "is guessed meanwhile"})


class PrinterEventOut(Schema):
    state = fields.String()
    code = fields.String(allow_none=True)
    message = fields.String(allow_none=True)
    at = fields.DateTime()


class PrinterStateOut(Schema):
    name = fields.String()
    office_code = fields.String(allow_none=True)
    worker = fields.String(allow_none=True, metadata={"description": "host and pid driving it"})
    state = fields.String(metadata={"description": "idle, printing, fault, waiting-stock, "
                                                   "blocked, starting or no worker"})
    detail = fields.String(allow_none=True)
    cards_printed = fields.Integer(metadata={"description": "cards of this batch it printed"})
    item_id = fields.Integer(allow_none=True)
    heartbeat_at = fields.DateTime(allow_none=True)
    last_event = fields.Nested(PrinterEventOut, allow_none=True)


class BatchSummary(Schema):
    id = fields.Integer()
    office_code = fields.String()
    reason = fields.String()
    selection = fields.String()
    state = fields.String(metadata={"enum": list(BATCH_STATES)})
    total = fields.Integer()
    created_by = fields.String()
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class BatchOut(BatchSummary):
    progress = fields.Nested(ProgressOut)
    printers = fields.List(fields.Nested(PrinterStateOut))
    failures = fields.List(fields.Nested(ItemOut), metadata={
        "description": "held and failed cards to act on (the first 50)"})
    failure_count = fields.Integer()
    items = fields.Nested(ItemsPage, metadata={"description": "one page of per-card outcomes"})


class ResolveIn(Schema):
    finding = fields.String(required=True, validate=validate.OneOf(HELD_FINDINGS), metadata={
        "description": "printed: the card came out; spoiled: a blank was wasted; untouched: "
                       "no blank left the feeder"})


class ResolveOut(Schema):
    item = fields.Nested(ItemOut)
