"""Finding a resident and reading their record: family (KK), cards ever printed, applications,
and the changes made to the record."""

from __future__ import annotations

import weakref

from flask import Response, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from registry import (
    applications,
    audit_log,
    cards,
    counter,
    lookup,
    regions,
    residents,
    search,
)
from registry.models import PHOTO, SIGNATURE, Family, ResidentImage

from ..database import db
from .access import me, require_area
from .pages import blueprint

bp = blueprint("resident", __name__)
PER_PAGE = 20


MAX_PAGE = 10_000  # an offset past this overflows the database's integers (a crafted URL)


def _page() -> int:
    """The page asked for, within 1..MAX_PAGE: ``page=10**30`` was a 500 (OverflowError)."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


_AREAS: weakref.WeakKeyDictionary[regions.RegionIndex, dict[str, list[tuple[str, str]]]] = \
    weakref.WeakKeyDictionary()


def _areas(index: regions.RegionIndex, office: str) -> list[tuple[str, str]]:
    """The areas a clerk may narrow a search to: the level below their office (kept per
    region index: finding children scans the whole region list)."""
    known = _AREAS.setdefault(index, {})
    if office not in known:
        known[office] = [] if index.is_desa(office) else [
            (code, index.name(code)) for code in index.children(office)]
    return known[office]


@bp.get("/residents", endpoint="search")
def search_page():
    q = request.args.get("q", "").strip()[:100]
    area = request.args.get("area", "").strip() or None
    office = me().office_code
    if area:
        require_area(area, "region", area)
    found, family = None, None
    with db().read() as session:
        index = regions.index(session)
        digits = q.replace(" ", "").replace(".", "")
        if digits.isdigit():  # a NIK, its start, or a KK (fast at any office level)
            found = lookup.by_number(session, digits, area=area or office, page=_page(),
                                     per_page=PER_PAGE)
        elif q or area:
            found = search.search(session, q, area=area or office, page=_page(),
                                  per_page=PER_PAGE)
        if found is not None and len(digits) == 16 and digits.isdigit():
            exact = [r for r in found.items if r.nik == digits]
            if exact and found.total == 1:
                return redirect(url_for("resident.show", nik=digits))
            family = session.scalar(select(Family).where(Family.kk == digits))
            if family is not None and not me().serves(family.desa_code):
                family = None
        return render_template("residents/search.html", q=q, area=area, found=found,
                               family=family, areas=_areas(index, office), page=_page())


@bp.get("/residents/<nik>")
def show(nik: str):
    with db().read() as session:
        resident = residents.get(session, nik)
        require_area(resident.desa_code, "resident", nik)
        return render_template(
            "residents/show.html",
            resident=resident,
            family=resident.family,
            card_history=cards.history(session, resident.id),
            applications=counter.of_resident(session, resident.id),
            open_application=applications.open_for(session, resident.id),
            ineligible=applications.eligibility(resident),
            photo_id=counter.current_image_id(session, resident.id, PHOTO),
            signature_id=counter.current_image_id(session, resident.id, SIGNATURE),
            changes=audit_log.for_record(session, "resident", nik, limit=20),
        )


@bp.get("/families/<kk>")
def family(kk: str):
    with db().read() as session:
        found = residents.get_family(session, kk)
        require_area(found.desa_code, "family", kk)
        return render_template("residents/family.html", family=found)


@bp.get("/residents/<nik>/images/<int:image_id>")
def image(nik: str, image_id: int):
    """A photo or signature of the resident (the current one, or one a card was made from)."""
    with db().read() as session:
        resident = residents.get(session, nik)
        require_area(resident.desa_code, "resident", nik)
        found = session.get(ResidentImage, image_id)
        if found is None or found.resident_id != resident.id:
            abort(404)
        return Response(found.data, mimetype=found.media_type,
                        headers={"Cache-Control": "no-store"})


def check_resident(session, nik: str):
    """The resident, if the clerk's office serves them (denied and audited otherwise)."""
    resident = residents.get(session, nik)
    require_area(resident.desa_code, "resident", nik)
    return resident
