"""Registering a resident (duplicate candidates shown before anything is saved, those outside
the clerk's area only counted; what the registry warns about flashed on the new record) and
correcting a record (every changed field lands in the audit log with its basis; a head of a
family who leaves names their successor in the same change). Both refuse values the card
cannot print (`card_fit`) before saving, on the field to correct."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from registry import audit, regions, residents
from registry.errors import ConflictError, DuplicateCandidatesError, InvalidRecordError
from registry.models import OPERATOR, Family

from ..database import db
from .access import me, require_area, requires
from .card_fit import CardMisfitsError, refuse_misfits
from .labels import FIELDS, label, reason_text
from .pages import blueprint
from .resident_forms import EditForm, RegisterForm
from .residents import check_resident

bp = blueprint("registration", __name__)


@bp.route("/residents/new", methods=["GET", "POST"])
@requires(OPERATOR, action=_l("register residents"))
def register():
    form = RegisterForm()
    if request.method == "GET" and request.args.get("kk"):
        form.kk.data = request.args["kk"]
        form.hubungan_keluarga.data = "ANAK"
    candidates, problems, outside = [], [], 0
    warnings: dict[str, list[str]] = {}
    with db().read() as session:
        index = regions.index(session)
        form.prepare(index, me().office_code)
    if form.validate_on_submit():
        record = form.record()
        if record.get("desa_code"):
            require_area(record["desa_code"], "region", record["desa_code"])
        try:
            refuse_misfits(record, index)
            with db().write() as session:
                kk = form.kk.data or None
                if kk and (family := session.scalar(select(Family).where(Family.kk == kk))):
                    require_area(family.desa_code, "family", kk)
                resident = residents.register(
                    session, me().actor, record, nik=form.nik.data or None, kk=kk,
                    confirm_duplicate=bool(form.confirm_duplicate.data), warnings=warnings)
                nik, nama = resident.nik, resident.nama
        except DuplicateCandidatesError as exc:
            # Redacted candidates (outside the clerk's area) say nothing to show: only counted.
            candidates = [c for c in exc.candidates if not c.get("outside_area")]
            outside = len(exc.candidates) - len(candidates)
        except CardMisfitsError as exc:
            problems = form.show_texts(exc.errors)
        except InvalidRecordError as exc:
            problems = form.show_errors(exc.errors)
        except ConflictError as exc:
            problems = [str(exc)]
        else:
            flash(_("%(nama)s is registered with NIK %(nik)s.", nama=nama, nik=nik), "success")
            _flash_warnings(warnings)
            return redirect(url_for("resident.show", nik=nik))
    return render_template("residents/register.html", form=form, candidates=candidates,
                           outside=outside, problems=problems)


def _flash_warnings(warnings: dict[str, list[str]]) -> None:
    """What the registry accepted but wants looked at (a given NIK's kecamatan no longer in
    the region list): the clerk sees it on the record just registered."""
    for field, messages in warnings.items():
        for message in messages:
            flash(_("Registered, but check the %(field)s: %(warning)s",
                    field=label(FIELDS, field), warning=reason_text(message)), "warning")


@bp.route("/residents/<nik>/edit", methods=["GET", "POST"])
@requires(OPERATOR, action=_l("correct resident records"))
def edit(nik: str):
    form = EditForm()
    problems: list[str] = []
    with db().read() as session:
        resident = check_resident(session, nik)
        index = regions.index(session)
        form.prepare(index, me().office_code)
        form.offer_successors(resident)
        if request.method == "GET":
            form.fill(resident)
    if form.validate_on_submit():
        changes = form.changes(resident)
        new_head = form.new_kepala_keluarga.data or None
        if changes.get("desa_code"):
            require_area(changes["desa_code"], "region", changes["desa_code"])
        if not changes and not new_head:
            flash(_("Nothing was changed."), "info")
            return redirect(url_for("resident.show", nik=nik))
        try:
            # A new citizenship changes the card's layout: then every value is judged again.
            refuse_misfits({**residents.as_dict(resident), **changes}, index,
                           None if "kewarganegaraan" in changes else changes)
            with db().write() as session:
                before = residents.as_dict(residents.get(session, nik))
                updated = residents.update(
                    session, me().actor, nik, changes, note=form.note.data.strip(),
                    expected_version=int(form.version.data or 0) or None, new_head=new_head)
                delta = audit.diff(before, residents.as_dict(updated))
        except CardMisfitsError as exc:
            problems = form.show_texts(exc.errors)
        except InvalidRecordError as exc:
            problems = form.show_errors(exc.errors)
        except ConflictError as exc:
            problems = [str(exc)]
        else:
            names = ", ".join(label(FIELDS, f) for f in delta)
            flash(_("Saved. Changed: %(fields)s.", fields=names or "–"), "success")
            if new_head:
                flash(_("%(nik)s is now the head of the family (KEPALA KELUARGA).",
                        nik=new_head), "success")
            return redirect(url_for("resident.show", nik=nik))
    return render_template("residents/edit.html", form=form, resident=resident,
                           problems=problems)
