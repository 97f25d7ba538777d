"""The batch pages: the list and the form to make one, and a batch's page with a live progress
bar, what each printer is doing, and the cards to act on."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import batch_progress, batches, regions
from registry.models import KECAMATAN, OPERATOR, SUPERVISOR
from registry.models.batch import ITEM_STATES, Batch

from ..database import db
from ..web.access import deny, me, require_role
from ..web.choices import options
from ..web.pages import blueprint
from . import labels
from . import selection as chosen
from .forms import BatchForm, grouped
from .service import resolve
from .status import status

bp = blueprint("batches", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/batches")
PER_PAGE = 100
ACTIONS = {"pause": batches.pause, "resume": batches.resume, "cancel": batches.cancel,
           "retry": batches.retry}


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"batch_labels": labels}


def _visible(session: Any, batch_id: int) -> Batch:
    batch = batches.get(session, batch_id)
    if not me().serves(batch.office_code):
        deny(_l("Batch %(id)s belongs to office %(office)s.", id=batch_id,
                office=batch.office_code), "batch", str(batch_id))
    return batch


def _areas(form: BatchForm) -> dict[str, set[str]]:
    """Fill the form's kecamatan and desa lists with the clerk's area; returns the codes each
    list allows."""
    office = me().office_code
    with db().read() as session:
        index = regions.index(session)
    level = index.level(office) or 0
    kecamatan = [office]
    for _level in range(KECAMATAN - level):  # down from a kabupaten (or provinsi) office
        kecamatan = [child for code in kecamatan for child in index.children(code)]
    if level > KECAMATAN:  # a village office: its own desa only
        kecamatan = []
    desa = {k: index.children(k) for k in kecamatan} or {office[:8]: [office]}
    form.kecamatan.choices = options((k, f"{index.name(k)} ({k})") for k in kecamatan)
    form.desa.choices = grouped({index.name(k): [(d, f"{index.name(d)} ({d})") for d in codes]
                                 for k, codes in desa.items()})
    return {"kecamatan": set(kecamatan), "desa": {d for codes in desa.values() for d in codes}}


@bp.get("/batches")
def index():
    with db().read() as session:
        rows = [(b, batch_progress.progress(session, b))
                for b in batches.listed(session, me().office_code)]
    form = BatchForm() if me().can(SUPERVISOR) else None
    if form is not None:
        _areas(form)
    return render_template("batches/index.html", rows=rows, form=form)


@bp.post("/batches")
def create():
    require_role(SUPERVISOR, action=_l("make batches"))
    form = BatchForm()
    allowed = _areas(form)
    if not form.validate_on_submit():
        with db().read() as session:
            rows = [(b, batch_progress.progress(session, b))
                    for b in batches.listed(session, me().office_code)]
        return render_template("batches/index.html", rows=rows, form=form), 422
    picked = chosen.from_choice(**_selection(form, allowed))
    with db().write() as session:
        batch = batches.create(session, me().actor, picked, reason=form.reason.data,
                               office_code=me().office_code, area=me().office_code)
        batch_id, skipped = batch.id, batch.skipped
    flash(_("Batch %(id)d is made: its cards are printed by the workers; %(skipped)d "
            "resident(s) are skipped, with the reason.", id=batch_id, skipped=skipped),
          "success")
    return redirect(url_for("batches.show", batch_id=batch_id))


def _selection(form: BatchForm, allowed: dict[str, set[str]]) -> dict[str, Any]:
    kind = form.kind.data
    if kind in ("kecamatan", "desa"):
        code = getattr(form, kind).data
        if code not in allowed[kind]:
            deny(_l("Area %(code)s is outside the area of your office.", code=code), "region",
                 str(code))
        return {kind: code}
    if kind == "niks":
        upload = form.niks.data
        text = chosen.nik_list_text(upload.read()) if upload else ""
        return {"niks": chosen.parse_niks(text),
                "source": upload.filename if upload else None}
    return {"q": form.q.data or "", "area": form.area.data or me().office_code}


@bp.get("/batches/<int:batch_id>")
def show(batch_id: int):
    with db().read() as session:
        batch = _visible(session, batch_id)
        data = status(session, batch)
        skips = batch_progress.skips(session, batch_id)
    return render_template("batches/show.html", batch=data, skips=skips,
                           can_steer=me().can(SUPERVISOR),
                           can_resolve=me().can(OPERATOR, SUPERVISOR))


@bp.get("/batches/<int:batch_id>/progress.json")
def progress(batch_id: int):
    """What the page's progress bar, counts and printer table follow while the batch runs."""
    with db().read() as session:
        return status(session, _visible(session, batch_id))


@bp.get("/batches/<int:batch_id>/cards")
def cards(batch_id: int):
    state = request.args.get("state")
    if state is not None and state not in ITEM_STATES:
        abort(404)
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)  # 10**30 overflowed
    with db().read() as session:
        batch = _visible(session, batch_id)
        rows, total = batch_progress.items(session, batch_id, states=(state,) if state else (),
                                           page=page, per_page=PER_PAGE)
    pages = {"prev": page - 1 if page > 1 else None,
             "next": page + 1 if page * PER_PAGE < total else None}
    return render_template("batches/cards.html", batch=batch, rows=rows, total=total,
                           state=state, pages=pages)


@bp.post("/batches/<int:batch_id>/<any(pause, resume, cancel, retry):action>")
def change(batch_id: int, action: str):
    require_role(SUPERVISOR, action=_l("steer batches"))
    with db().write() as session:
        batch = _visible(session, batch_id)
        rule = ACTIONS[action]
        if action == "retry":
            queued = rule(session, me().actor, batch, area=me().office_code)
            flash(_("%(n)d card(s) queued again.", n=queued), "success")
        else:
            rule(session, me().actor, batch)
            flash(_("Batch %(id)d: %(state)s.", id=batch_id,
                    state=labels.label(labels.BATCH_STATES, batch.state)), "success")
    return redirect(url_for("batches.show", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/cards/<int:item_id>/resolve")
def resolve_held(batch_id: int, item_id: int):
    require_role(OPERATOR, SUPERVISOR, action=_l("record what came out of a printer"))
    finding = request.form.get("finding")
    if finding not in labels.FINDINGS:
        flash(_("Say what you found in the printer's output tray."), "error")
        return redirect(url_for("batches.show", batch_id=batch_id))
    with db().read() as session:
        _visible(session, batch_id)
        if batch_progress.item(session, batch_id, item_id) is None:
            abort(404)
    outcome = resolve(db(), me().actor, item_id, finding)
    flash(_("Card recorded as printed.") if outcome.printed else
          _("The card is queued to be printed again."), "success")
    return redirect(url_for("batches.show", batch_id=batch_id))

