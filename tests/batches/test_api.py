"""`/api/v1/batches`: supervisors make and steer batches in their area; clerks resolve held
cards; everyone else is refused, and the refusal is audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from app import issuance
from app.batches.recovery import after_outcome
from registry import batch_queue, printers
from registry.audit import Actor
from registry.models import AuditEntry

from .checks import run_worker
from .conftest import SINE


def post(client, clerk, path, **body):
    return client.post(f"/api/v1{path}", json=body, headers=clerk.headers)


def get(client, clerk, path, **query):
    return client.get(f"/api/v1{path}", query_string=query, headers=clerk.headers)


def test_a_supervisor_makes_a_batch_and_reads_its_progress_and_cards(client, clerks, town):
    town.people(3)
    town.people(1, photo=False)
    made = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10",
                reason="new card layout")
    assert made.status_code == 201, made.json
    body = made.json
    assert (body["state"], body["total"], body["office_code"]) == ("running", 4, "33.14")
    assert body["progress"]["counts"]["pending"] == 3
    assert body["progress"]["counts"]["skipped"] == 1
    one = get(client, clerks["kpt"], f"/batches/{body['id']}", state="skipped")
    assert one.status_code == 200
    (skipped,) = one.json["items"]["items"]
    assert (skipped["skip_code"], skipped["nama"]) == ("no-photo", "WARGA D")
    page = get(client, clerks["kpt"], f"/batches/{body['id']}", per_page=2, page=2).json["items"]
    assert (page["total"], len(page["items"]), page["page"]) == (4, 2, 2)
    listed = get(client, clerks["kpt"], "/batches").json
    assert [b["id"] for b in listed] == [body["id"]]


def test_a_batch_from_a_list_of_niks_skips_those_outside_the_area(client, clerks, town):
    inside = town.people(1, SINE)
    outside = town.people(1, "33.14.01.2001")
    made = post(client, clerks["kecamatan"], "/batches", niks=inside + outside, reason="rusak")
    assert made.status_code == 201
    assert made.json["office_code"] == "33.14.10"
    assert made.json["progress"]["counts"] == {**made.json["progress"]["counts"],
                                               "pending": 1, "skipped": 1}


def test_operators_and_other_areas_are_refused_and_audited(client, clerks, town):
    town.people(1)
    refused = post(client, clerks["kpt"], "/batches", kecamatan="33.14.10", reason="x")
    assert refused.status_code == 403
    elsewhere = post(client, clerks["jakarta"], "/batches", kecamatan="33.14.10", reason="x")
    assert elsewhere.status_code == 403
    batch_id = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10",
                    reason="x").json["id"]
    assert get(client, clerks["jakarta"], f"/batches/{batch_id}").status_code == 403
    assert get(client, clerks["jakarta"], "/batches").json == []
    assert post(client, clerks["kpt"], f"/batches/{batch_id}/pause").status_code == 403
    with town.db.read() as session:
        denied = session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "access.denied")).all()
    assert sorted(denied) == ["jakarta", "jakarta", "kpt", "kpt"]


def test_bad_requests_say_what_is_wrong(client, clerks, town):
    town.people(1)
    both = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10",
                desa="33.14.10.1001", reason="x")
    assert both.status_code == 422 and "selection" in both.json["errors"]["json"]
    no_reason = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10")
    assert no_reason.status_code == 422
    not_kecamatan = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10.1001",
                         reason="x")
    assert not_kecamatan.status_code == 422
    assert get(client, clerks["supervisor"], "/batches/999").status_code == 404
    area = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10",
                area="33.14.10", reason="x")
    assert area.status_code == 422 and "area" in area.json["errors"]["json"]
    nowhere = post(client, clerks["supervisor"], "/batches", q="WARGA", area="33.14.99",
                   reason="x")
    assert nowhere.status_code == 422
    assert nowhere.json["errors"]["json"] == {
        "area": ["'33.14.99' is not a region code (like 33.14.10 or 33.14.10.2007)"]}
    searched = post(client, clerks["supervisor"], "/batches", q="warga", reason="x")
    assert searched.status_code == 201 and searched.json["selection"] == "search 'warga' in 33.14"


def test_a_batch_waiting_for_blanks_says_so_and_guesses_no_time_left(app, client, clerks, town):
    town.people(3)
    town.blanks(2)
    town.printer("p1")
    batch_id = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10",
                    reason="x").json["id"]
    assert get(client, clerks["kpt"], f"/batches/{batch_id}").json["progress"][
        "blanks_available"] == 2
    run_worker(app, "p1")
    progress = get(client, clerks["kpt"], f"/batches/{batch_id}").json["progress"]
    assert (progress["waiting_for_stock"], progress["blanks_available"]) == (True, 0)
    assert progress["per_minute"] > 0 and progress["seconds_left"] is None


def test_pause_resume_cancel_and_retry_through_the_api(client, clerks, town):
    town.people(2)
    batch_id = post(client, clerks["supervisor"], "/batches", kecamatan="33.14.10",
                    reason="x").json["id"]
    steps = [("pause", 200, "paused"), ("pause", 409, None), ("resume", 200, "running"),
             ("cancel", 200, "cancelled"), ("retry", 409, None)]
    for action, code, state in steps:
        response = post(client, clerks["supervisor"], f"/batches/{batch_id}/{action}")
        assert response.status_code == code, (action, response.json)
        if state:
            assert response.json["state"] == state
    assert response.json["message"] == f"batch {batch_id} is cancelled"


def _held_card(app, client, clerks, town):
    """A card whose printer dropped the link mid-card and could not be asked afterwards."""
    post(client, clerks["supervisor"], "/batches", niks=town.people(1), reason="rusak")
    town.blanks(3)
    town.printer("flaky", fault="disconnect@1")
    with town.db.write() as session:
        claim = batch_queue.claim(session, printers.get(session, "flaky").id)
    with app.app_context():
        outcome = issuance.print_for(town.db, Actor("worker:test"), "batch", claim.item_id,
                                     claim.nik, "flaky", "33.14")
    assert outcome.held
    after_outcome(town.db, claim.item_id, outcome)
    return claim


def test_a_clerk_resolves_a_held_card_and_it_is_printed_again(app, client, clerks, town):
    claim = _held_card(app, client, clerks, town)
    detail = get(client, clerks["kpt"], f"/batches/{claim.batch_id}").json
    assert [(f["id"], f["state"]) for f in detail["failures"]] == [(claim.item_id, "held")]
    path = f"/batches/{claim.batch_id}/items/{claim.item_id}/resolve"
    assert post(client, clerks["kpt"], path, finding="maybe").status_code == 422
    resolved = post(client, clerks["kpt"], path, finding="untouched")
    assert resolved.status_code == 200, resolved.json
    assert resolved.json["item"]["state"] == "pending"
    assert post(client, clerks["kpt"], path, finding="untouched").status_code == 409
    town.printer("steady")
    run_worker(app, "steady")
    after = get(client, clerks["kpt"], f"/batches/{claim.batch_id}").json
    assert after["progress"]["counts"]["printed"] == 1 and after["state"] == "done"
    assert town.balance() == (2, 0)


def test_a_body_that_is_not_json_is_a_415_and_makes_no_batch(client, clerks, town):
    town.people(1)
    body = json.dumps({"kecamatan": "33.14.10", "reason": "x"})
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        refused = client.post("/api/v1/batches", data=body, content_type=content_type,
                              headers=clerks["supervisor"].headers)
        assert refused.status_code == 415
        assert content_type in refused.json["message"]
        assert "application/json" in refused.json["message"]
    bare = client.post("/api/v1/batches", headers=clerks["supervisor"].headers)
    assert bare.status_code == 415 and "no Content-Type" in bare.json["message"]
    assert get(client, clerks["supervisor"], "/batches").json == []
    resolve = client.post("/api/v1/batches/1/items/1/resolve", data="finding=untouched",
                          content_type="application/x-www-form-urlencoded",
                          headers=clerks["kpt"].headers)
    assert resolve.status_code == 415
    spec = client.get("/api/v1/openapi.json").json["paths"]
    assert "415" in spec["/api/v1/batches"]["post"]["responses"]
    assert "415" in spec["/api/v1/batches/{batch_id}/items/{item_id}/resolve"]["post"][
        "responses"]
