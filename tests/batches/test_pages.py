"""The batch pages through Flask's test client: a supervisor makes and steers a batch, a clerk
records what a held card did, others are refused; the page says it all in Indonesian too."""

from __future__ import annotations

import io
import re

from app import issuance
from app.batches.recovery import after_outcome
from registry import batch_queue, printers
from registry.audit import Actor
from tests.web.conftest import Clerk

from .checks import run_worker


def make(clerk: Clerk, **fields):
    data = {"kind": "kecamatan", "kecamatan": "33.14.10", "reason": "new card layout", **fields}
    return clerk.post("/batches", data, content_type="multipart/form-data")


def test_a_supervisor_makes_a_batch_from_the_form_and_follows_it(app, town):
    town.people(3)
    town.people(1, photo=False)
    town.blanks(5)
    town.printer("p1")
    supervisor = Clerk(app, "supervisor")
    form = supervisor.main("/batches")
    assert 'id="batch-form"' in form and "Sragen (33.14.10)" in form
    made = make(supervisor)
    assert made.status_code == 302 and made.location.endswith("/batches/1")
    page = supervisor.main("/batches/1")
    assert "1 of 4 done" in page and "No photo taken yet" in page
    assert 'data-count="pending">3<' in page
    run_worker(app, "p1")
    progress = supervisor.get("/batches/1/progress.json").json
    assert progress["state"] == "done" and progress["progress"]["counts"]["printed"] == 3
    assert [p["cards_printed"] for p in progress["printers"]] == [3]
    done = supervisor.main("/batches/1")
    assert "4 of 4 done" in done and 'data-finished="true"' in done
    skipped = supervisor.main("/batches/1/cards?state=skipped")
    assert "No photo taken yet" in skipped and skipped.count("<tr>") == 2


def test_a_csv_of_niks_and_the_steering_buttons(app, town):
    a, b = town.people(2)
    supervisor = Clerk(app, "supervisor")
    upload = (io.BytesIO(f"nik\n{a}\n{b}\n123\n".encode()), "rusak.csv")
    made = make(supervisor, kind="niks", niks=upload, reason="rusak")
    assert made.status_code == 302
    page = supervisor.main("/batches/1")
    assert "3 NIKs from rusak.csv" in page and "Not a 16-digit NIK" in page
    for action, shown in (("pause", "Paused"), ("resume", "Running"), ("cancel", "Cancelled")):
        response = supervisor.post(f"/batches/1/{action}")
        assert response.status_code == 302
        assert shown in supervisor.main("/batches/1")


def test_a_utf16_csv_is_read_and_one_with_nul_bytes_refused(app, town):
    """A UTF-16 export read as UTF-8 (a NUL after every digit), or a NUL in the file, went
    into the skips as text, a 500 on PostgreSQL: UTF-16 with its mark is read, NULs refused."""
    (a,) = town.people(1)
    supervisor = Clerk(app, "supervisor")
    supervisor.get("/batches")
    junk = (io.BytesIO(f"{a}\n12\x003\n".encode("utf-16")), "export.csv")
    refused = make(supervisor, kind="niks", niks=junk, reason="rusak")
    assert "NUL characters" in supervisor.main(refused.headers["Location"])
    upload = (io.BytesIO(f"{a}\n123\n".encode("utf-16")), "export.csv")
    made = make(supervisor, kind="niks", niks=upload, reason="rusak")
    assert made.status_code == 302
    page = supervisor.main("/batches/1")
    assert "2 NIKs from export.csv" in page
    skipped = supervisor.main("/batches/1/cards?state=skipped")
    assert "123" in skipped and a not in skipped  # read as UTF-16: the NIK of a is queued


def test_a_search_in_an_area_that_is_no_region_names_the_area_on_the_form(app, town):
    town.people(1)
    supervisor = Clerk(app, "supervisor")
    supervisor.get("/batches")
    refused = make(supervisor, kind="search", q="warga", area="33.14.99")
    assert refused.status_code == 302
    page = supervisor.main(refused.location)
    assert "area: &#39;33.14.99&#39; is not a region code (like 33.14.10 or 33.14.10.2007)" in page
    assert "selects no resident" not in page
    assert supervisor.get("/batches/1").status_code == 404


def test_clerks_see_and_resolve_but_do_not_make_or_steer_and_other_areas_see_nothing(app, town):
    town.people(1)
    make(Clerk(app, "supervisor"))
    clerk = Clerk(app, "kpt")
    assert 'id="batch-form"' not in clerk.main("/batches")
    assert make(clerk).status_code == 403
    assert clerk.post("/batches/1/pause").status_code == 403
    outsider = Clerk(app, "jakarta")
    assert outsider.get("/batches/1").status_code == 403
    assert "#1" not in outsider.main("/batches")


def test_a_held_card_is_resolved_from_the_page(app, town):
    town.people(1)
    town.blanks(2)
    make(Clerk(app, "supervisor"))
    town.printer("flaky", fault="disconnect@1")
    with town.db.write() as session:
        claim = batch_queue.claim(session, printers.get(session, "flaky").id)
    with app.app_context():
        outcome = issuance.print_for(town.db, Actor("worker:test"), "batch", claim.item_id,
                                     claim.nik, "flaky", "33.14")
    after_outcome(town.db, claim.item_id, outcome)
    clerk = Clerk(app, "kpt")
    page = clerk.main("/batches/1")
    assert "What is in the printer's output tray?" in page
    resolved = clerk.post(f"/batches/1/cards/{claim.item_id}/resolve", {"finding": "printed"})
    assert resolved.status_code == 302
    after = clerk.main("/batches/1")
    assert "Nothing to act on." in after and "1 of 1 done" in after


def test_the_pages_speak_indonesian(app, town):
    town.people(1, photo=False)
    make(Clerk(app, "supervisor"))
    clerk = Clerk(app, "supervisor", lang="id")
    page = clerk.main("/batches/1")
    assert "Kemajuan" in page and "Belum ada foto" in page
    assert "Buat batch" in clerk.main("/batches")



def test_a_batch_waiting_for_blanks_says_so_on_its_page_and_in_the_list(app, town):
    town.people(3)
    town.blanks(2)
    town.printer("p1")
    supervisor = Clerk(app, "supervisor")
    make(supervisor)
    waiting = "Waiting for blank cards: office 33.14 has none left."
    assert waiting not in _shown(supervisor.main("/batches/1"))
    run_worker(app, "p1")
    page = supervisor.main("/batches/1")
    assert waiting in _shown(page) and '<span id="batch-left"></span>' in page
    assert supervisor.get("/batches/1/progress.json").json["progress"]["waiting_for_stock"]
    assert "Waiting for blank cards" in supervisor.main("/batches")
    indonesian = Clerk(app, "supervisor", lang="id").main("/batches/1")
    assert "Menunggu blangko: blangko kantor 33.14 sudah habis." in _shown(indonesian)


def _shown(page: str) -> str:
    """The page without what stays hidden until the progress poll shows it."""
    return re.sub(r'<span id="batch-stock" class="hidden">.*?</strong></span>', "", page,
                  flags=re.S)
