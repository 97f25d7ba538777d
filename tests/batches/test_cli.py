"""`ktp batch …` and `ktp worker` through Flask's CLI runner."""

from __future__ import annotations

import json
import threading

from .checks import run_worker


def ktp(runner, *args):
    return runner.invoke(args=[str(a) for a in args])


def test_create_prints_the_id_and_a_worker_prints_the_batch(runner, town):
    town.people(3)
    town.people(1, photo=False)
    town.blanks(5)
    town.printer("p1")
    made = ktp(runner, "batch", "create", "--kecamatan", "33.14.10", "--reason", "new layout")
    assert made.exit_code == 0, made.output
    assert made.stdout == "1\n"
    assert "3 cards to print from office 33.14, 1 skipped" in made.stderr
    worked = ktp(runner, "worker", "--printer", "p1", "--exit-when-idle", "--poll-seconds", 0.02)
    assert worked.exit_code == 0, worked.output
    status = json.loads(ktp(runner, "batch", "status", 1, "--json").stdout)
    assert status["state"] == "done"
    assert (status["progress"]["counts"]["printed"], status["progress"]["done"]) == (3, 4)
    assert [p["cards_printed"] for p in status["printers"]] == [3]
    text = ktp(runner, "batch", "status", 1).stdout
    assert text.startswith("batch 1 done: 4/4 done (3 printed, 1 skipped)")
    skipped = ktp(runner, "batch", "items", 1, "--state", "skipped").stdout.splitlines()
    assert len(skipped) == 1 and skipped[0].split("\t")[2:4] == ["skipped", "no-photo"]


def test_a_nik_file_with_a_header_and_an_office(runner, town, tmp_path):
    a, b = town.people(2)
    path = tmp_path / "rusak.csv"
    path.write_text(f"no;nik;nama\n1;{a};X\n2;{b};Y\n3;12;Z\n", encoding="utf-8")
    made = ktp(runner, "batch", "create", "--niks", path, "--reason", "rusak",
               "--office", "33.14.10")
    assert made.exit_code == 0, made.output
    items = ktp(runner, "batch", "items", made.stdout.strip()).stdout.splitlines()
    assert [line.split("\t")[1:4] for line in items] == [
        [a, "pending", "-"], [b, "pending", "-"], ["12", "skipped", "invalid-nik"]]


def test_without_an_office_two_kpts_need_one_named(runner, town, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("\n".join(town.people(1)) + "\n")
    refused = ktp(runner, "batch", "create", "--niks", path, "--reason", "x")
    assert refused.exit_code == 1 and "--office" in refused.output


def test_follow_shows_progress_until_the_batch_is_done(app, runner, town):
    town.people(4)
    town.blanks(4)
    town.printer("p1")
    ktp(runner, "batch", "create", "--kecamatan", "33.14.10", "--reason", "x")
    worker = threading.Thread(target=run_worker, args=(app, "p1"))
    worker.start()
    followed = ktp(runner, "batch", "status", 1, "--follow", "--every", 0.05)
    worker.join()
    lines = [line for line in followed.stdout.splitlines() if line.startswith("batch 1")]
    assert lines[-1].startswith("batch 1 done: 4/4 done (4 printed)")
    assert len(lines) == len(set(lines))  # a line per change, not per poll
    as_json = ktp(runner, "batch", "status", 1, "--follow", "--json").stdout.splitlines()
    assert json.loads(as_json[-1])["progress"]["counts"]["printed"] == 4


def test_pause_resume_cancel_retry_and_errors(runner, town):
    town.people(2)
    ktp(runner, "batch", "create", "--kecamatan", "33.14.10", "--reason", "x")
    assert ktp(runner, "batch", "pause", 1).stdout == "batch 1 paused\n"
    assert ktp(runner, "batch", "resume", 1).stdout == "batch 1 running\n"
    assert ktp(runner, "batch", "cancel", 1).stdout == "batch 1 cancelled (2 cards)\n"
    again = ktp(runner, "batch", "retry", 1)
    assert again.exit_code == 1 and "is cancelled" in again.output
    missing = ktp(runner, "batch", "status", 7)
    assert missing.exit_code == 1 and "batch 7 not found" in missing.output
    held = ktp(runner, "batch", "resolve", 1, "printed")
    assert held.exit_code == 1 and "not held" in held.output
    no_printer = ktp(runner, "worker", "--printer", "nope", "--exit-when-idle")
    assert no_printer.exit_code == 1 and "printer nope not found" in no_printer.output


def test_settle_a_printer_whose_worker_is_gone(runner, town):
    town.people(1)
    town.printer("p1")
    settled = ktp(runner, "batch", "settle", "p1")
    assert settled.exit_code == 0
    assert settled.stdout == "p1: 0 settled, 0 queued again, 0 held until the printer answers\n"


def test_status_says_the_cards_wait_for_blanks_and_guesses_no_time_left(app, runner, town):
    town.people(4)
    town.blanks(2)
    town.printer("p1")
    ktp(runner, "batch", "create", "--kecamatan", "33.14.10", "--reason", "x")
    run_worker(app, "p1")
    status = json.loads(ktp(runner, "batch", "status", 1, "--json").stdout)
    progress = status["progress"]
    assert progress["counts"]["pending"] == 2 and progress["per_minute"] > 0
    assert progress["waiting_for_stock"] is True and progress["seconds_left"] is None
    text = ktp(runner, "batch", "status", 1).stdout.splitlines()[0]
    assert text.endswith("· waiting for blank cards at office 33.14 (none left)")
    assert " left" not in text.replace("(none left)", "")
    town.blanks(1)
    text = ktp(runner, "batch", "status", 1).stdout.splitlines()[0]
    assert text.endswith(" left · only 1 blank card(s) left at office 33.14 for 2 cards")


def test_the_worker_refuses_a_printer_that_cannot_confirm_a_card(runner, town, tmp_path):
    town.people(1)
    town.blanks(2)
    town.printer("f2", f"file://{tmp_path}/f2.evolis")
    town.printer("p1")
    ktp(runner, "batch", "create", "--kecamatan", "33.14.10", "--reason", "x")
    refused = ktp(runner, "worker", "--printer", "p1", "--printer", "f2", "--exit-when-idle")
    assert refused.exit_code == 1
    assert f"printer f2 (file://{tmp_path}/f2.evolis) only takes data and cannot confirm" in (
        refused.output)
    assert not (tmp_path / "f2.evolis").exists()
    status = json.loads(ktp(runner, "batch", "status", 1, "--json").stdout)
    assert status["progress"]["counts"]["pending"] == 1


def test_a_proof_to_a_file_printer_says_the_stream_was_written_not_that_a_card_came_out(
        runner, town, tmp_path):
    nik, = town.people(1)
    out = tmp_path / "f2.evolis"
    town.printer("f2", f"file://{out}")
    proof = ktp(runner, "print", nik, "--printer", "f2", "--proof")
    assert proof.exit_code == 0, proof.output
    assert proof.output == (f"proof card of {nik}: the print stream was written to f2 "
                            f"(file://{out}); this printer cannot confirm that a card came out\n")
    assert out.stat().st_size > 0


def test_area_without_a_search_is_a_usage_error(runner, town):
    town.people(1)
    refused = ktp(runner, "batch", "create", "--kecamatan", "33.14.10", "--area", "33.14.10",
                  "--reason", "x")
    assert refused.exit_code == 2
    assert "--area only narrows --search" in refused.output
    assert ktp(runner, "batch", "list").stdout == ""
    nowhere = ktp(runner, "batch", "create", "--search", "warga", "--area", "33.14.99",
                  "--reason", "x")
    assert nowhere.exit_code != 0
    assert "'33.14.99' is not a region code" in nowhere.output
    assert ktp(runner, "batch", "list").stdout == ""
    made = ktp(runner, "batch", "create", "--search", "warga", "--area", "33.14.10",
               "--reason", "x")
    assert made.exit_code == 0, made.output
