"""`/api/v1/residents` and `/api/v1/families`: find, register, read and correct residents."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from registry import regions, residents, search
from registry.models import OPERATOR, Family, Resident
from registry.validation import STATIC_FIELDS

from ..auth import require_api_principal
from ..database import db
from .access import deny, principal, require_area, require_role
from .bodies import NOT_JSON, require_json
from .card_fit import refuse_misfits
from .schemas import (
    DuplicateError,
    Error,
    FamilyOut,
    ResidentCreate,
    ResidentCreated,
    ResidentOut,
    ResidentPatch,
    SearchArgs,
    SearchPageOut,
)

blp = Blueprint("residents", __name__, url_prefix="/api/v1",
                description="Residents (penduduk) and families (Kartu Keluarga)")
blp.before_request(require_api_principal)


@blp.before_request
def _json_bodies_only():
    if request.method in ("POST", "PATCH", "PUT"):
        require_json()


_ERRORS = {401: "not signed in", 403: "outside your office's area or role", 404: "not found",
           415: NOT_JSON}


def _documented(*codes: int):
    def wrap(view):
        for code in codes:
            view = blp.alt_response(code, schema=Error, description=_ERRORS.get(code))(view)
        return view
    return wrap


def place_names(index: regions.RegionIndex, desa_code: str) -> dict[str, str]:
    place = index.place(desa_code)
    return {"desa": place.desa, "kecamatan": place.kecamatan, "kabupaten": place.kabupaten,
            "provinsi": place.provinsi}


def resident_out(session: Any, resident: Resident) -> dict[str, Any]:
    out = residents.as_dict(resident)
    out.update(place_names(regions.index(session), resident.desa_code))
    out.update(kk=resident.family.kk, version=resident.version,
               created_at=resident.created_at, updated_at=resident.updated_at)
    return out


def summary(resident: Resident, index: regions.RegionIndex) -> dict[str, Any]:
    return {**residents.brief(resident), **place_names(index, resident.desa_code)}


def _bad_query(field: str, reason: str) -> None:
    abort(400, message=f"{field}: {reason}", errors={"query": {field: [reason]}})


def _search_area(args: dict[str, Any], index: regions.RegionIndex) -> str:
    """The most specific area asked for: a kecamatan or desa of the region list (400 naming
    the field otherwise), which must lie within the clerk's office (403)."""
    for field, exists in (("kecamatan", index.is_kecamatan), ("desa", index.is_desa)):
        if args.get(field) and not exists(args[field]):
            _bad_query(field, f"{args[field]} is not a {field} in the region list")
    me = principal()
    wanted = args.get("desa") or args.get("kecamatan")
    if not wanted:
        return me.office_code
    if not (me.serves(wanted) or wanted == me.office_code):
        deny(f"area {wanted} is outside the area of office {me.office_code}", "region", wanted)
    return wanted


@blp.route("/residents")
class Residents(MethodView):
    @blp.arguments(SearchArgs, location="query", error_status_code=400)
    @blp.response(200, SearchPageOut)
    @_documented(401, 403)
    def get(self, args: dict[str, Any]):
        """Find residents by NIK, KK, start of a NIK, or name (any spelling), ranked and paged."""
        if args["q"].strip() and not search.searchable(args["q"]):
            _bad_query("q", "has no letters or digits to search for")
        with db().read() as session:
            index = regions.index(session)
            area = _search_area(args, index)
            page = search.search(session, args["q"], area=area, page=args["page"],
                                 per_page=args["per_page"])
            return {"items": [summary(r, index) for r in page.items], "total": page.total,
                    "total_capped": page.total_capped, "page": page.page,
                    "per_page": page.per_page}

    @blp.arguments(ResidentCreate)
    @blp.response(201, ResidentCreated)
    @blp.alt_response(409, schema=DuplicateError,
                      description="possible duplicates (confirm to register anyway) or a conflict")
    @_documented(401, 403, 415)
    def post(self, data: dict[str, Any]):
        """Register a resident; the NIK is allocated unless a previously issued one is given.
        Values the card cannot print (a name too wide for its lines) are refused with 422."""
        require_role(OPERATOR, action="register residents")
        nik, kk = data.pop("nik", None), data.pop("kk", None)
        confirm = data.pop("confirm_duplicate", False)
        if "desa_code" in data:
            require_area(data["desa_code"], "region", data["desa_code"])
        warnings: dict[str, list[str]] = {}
        with db().write() as session:
            if kk and (family := _family(session, kk)) is not None:
                require_area(family.desa_code, "family", kk)
            refuse_misfits(data, regions.index(session))
            resident = residents.register(session, principal().actor, data, nik=nik, kk=kk,
                                          confirm_duplicate=confirm, warnings=warnings)
            return {**resident_out(session, resident),
                    "warnings": [{"field": f, "message": m}
                                 for f, messages in warnings.items() for m in messages]}


def _family(session: Any, kk: str) -> Family | None:
    return session.scalar(select(Family).where(Family.kk == kk))


@blp.route("/residents/<nik>")
class ResidentItem(MethodView):
    @blp.response(200, ResidentOut)
    @_documented(401, 403, 404)
    def get(self, nik: str):
        """One resident with every KTP element."""
        with db().read() as session:
            resident = residents.get(session, nik)
            require_area(resident.desa_code, "resident", nik)
            return resident_out(session, resident)

    @blp.arguments(ResidentPatch)
    @blp.response(200, ResidentOut)
    @blp.alt_response(409, schema=Error, description="someone else changed the record first")
    @_documented(401, 403, 404, 415)
    def patch(self, data: dict[str, Any], nik: str):
        """Correct a resident; static elements (NIK, birth place and date, blood type, sex)
        are refused, and so is taking the KEPALA KELUARGA role (or active status) from the
        head of a family with other active members unless `new_kepala_keluarga` names who
        takes it over. A changed value the card cannot print is refused with 422."""
        require_role(OPERATOR, action="change residents")
        version, note = data.pop("version", None), data.pop("note", None)
        new_head = data.pop("new_kepala_keluarga", None)
        with db().write() as session:
            resident = residents.get(session, nik)
            require_area(resident.desa_code, "resident", nik)
            if "desa_code" in data:
                require_area(data["desa_code"], "region", data["desa_code"])
            _refuse_changed_misfits(session, resident, data)
            resident = residents.update(session, principal().actor, nik, data,
                                        expected_version=version, note=note, new_head=new_head)
            return resident_out(session, resident)


def _refuse_changed_misfits(session: Any, resident: Resident, data: dict[str, Any]) -> None:
    """Only the changed values are judged (the record may predate the check), all of them
    when the citizenship, and with it the card's layout, changes. Static elements are the
    registry's to refuse."""
    changes = {k: v for k, v in data.items() if k not in STATIC_FIELDS}
    if changes:
        refuse_misfits({**residents.as_dict(resident), **changes}, regions.index(session),
                       None if "kewarganegaraan" in changes else changes)


@blp.route("/families/<kk>")
class FamilyItem(MethodView):
    @blp.response(200, FamilyOut)
    @_documented(401, 403, 404)
    def get(self, kk: str):
        """A Kartu Keluarga with its members."""
        with db().read() as session:
            family = residents.get_family(session, kk)
            require_area(family.desa_code, "family", kk)
            head = next((m.nik for m in family.members
                         if m.hubungan_keluarga == "KEPALA KELUARGA" and m.status == "AKTIF"), None)
            names = place_names(regions.index(session), family.desa_code)
            return {"kk": family.kk, "alamat": family.alamat, "rt": family.rt, "rw": family.rw,
                    "desa_code": family.desa_code, "desa": names["desa"],
                    "kecamatan": names["kecamatan"], "kepala_keluarga": head,
                    "members": [{"nik": m.nik, "nama": m.nama,
                                 "hubungan_keluarga": m.hubungan_keluarga,
                                 "jenis_kelamin": m.jenis_kelamin,
                                 "tanggal_lahir": m.tanggal_lahir, "status": m.status}
                                for m in family.members]}
