"""A virtual printer is its output folder: processes that drive it share one printer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from drivers import open_printer
from drivers.evolis import commands as cmd
from drivers.virtual import VirtualPrinter, registry
from tests.drivers.cards import k_job

ROOT = Path(__file__).resolve().parents[2]
PRINT_CARDS = """
import sys
from drivers import open_printer
from drivers.virtual import registry
from tests.drivers.cards import k_job

folder, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
registry.register("v1", out_dir=folder, print_seconds=0.01)
with open_printer("virtual://v1") as printer:
    for number in range(count):
        printer.print_card(k_job(f"{tag}-{number}"))
"""


def test_two_processes_printing_on_one_folder_number_the_cards_once(tmp_path):
    workers = [
        subprocess.Popen([sys.executable, "-c", PRINT_CARDS, str(tmp_path), tag, "12"], cwd=ROOT)
        for tag in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    log = [json.loads(line) for line in (tmp_path / "cards.jsonl").read_text().splitlines()]
    assert sorted(entry["card_number"] for entry in log) == list(range(1, 25))
    assert {entry["job_id"] for entry in log} == {f"{t}-{n}" for t in "ab" for n in range(12)}
    state = json.loads((tmp_path / "printer-state.json").read_text())
    assert (state["cards_inserted"], state["cards_in_feeder"]) == (24, 100 - 24)
    assert len(list(tmp_path.glob("*-front.png"))) == 24


def _print(printer: VirtualPrinter, job_id: str) -> str:
    session = printer.connect()
    session.feed(cmd.virtual_job(job_id) + b"\x1bSs\r"
                 + cmd.download_compressed("k", 2, b"\x00" * 1016) + b"\x1bSe\r")
    return session.take().decode().split("\r")[-2]


def test_what_one_process_does_to_the_printer_the_other_sees(tmp_path):
    here, there = VirtualPrinter(tmp_path, name="v1"), VirtualPrinter(tmp_path, name="v1")
    assert here.serial == there.serial
    here.inject("jam@1")
    assert _print(here, "jams") == "CARD JAM"
    assert there.query("Rst", ()) == "CARD JAM" and there.query("Rco", ("c",)) == "1"
    there.clear("jam")  # the operator pulls the card out, whoever asked
    assert here.query("Rlr", ("p",)) == "OK"
    assert _print(here, "second") == "OK"
    there.load_cards(10)
    assert here.snapshot()["cards_in_feeder"] == 100 - 2 + 10
    assert [e["card_number"] for e in here.log.entries()] == [1, 2]


def test_a_card_left_printing_by_a_process_that_died_is_stuck(tmp_path):
    (tmp_path / "printer-state.json").write_text(
        json.dumps({"cards_inserted": 3, "panels_printed": 5, "printing": True,
                    "card_inside": True}))
    printer = VirtualPrinter(tmp_path)
    assert printer.query("Rst", ()) == "CARD JAM"
    assert printer.query("Rco", ("c",)) == "3" and printer.card_inside


def test_in_process_printers_of_the_app_share_their_folder(tmp_path):
    registry_serials = [registry.register(name, out_dir=tmp_path).serial
                        for name in ("shared-a", "shared-b")]
    try:
        for name in ("shared-a", "shared-b", "shared-a"):
            with open_printer(f"virtual://{name}") as printer:
                printer.print_card(k_job(name))
    finally:
        registry.unregister("shared-a")
        registry.unregister("shared-b")
    folder = VirtualPrinter(tmp_path)
    assert [e["card_number"] for e in folder.log.entries()] == [1, 2, 3]
    assert folder.serial == registry_serials[0] == registry_serials[1]


def test_serial_is_stable_for_a_printer_and_differs_between_printers(tmp_path):
    first, again = VirtualPrinter(tmp_path / "a"), VirtualPrinter(tmp_path / "a")
    other = VirtualPrinter(tmp_path / "b")
    assert first.serial == again.serial != other.serial
    assert VirtualPrinter(name="x").serial != VirtualPrinter(name="y").serial
    assert first.serial.startswith("VIRT") and len(first.serial) == 10
