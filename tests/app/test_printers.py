"""Printers configured by the app: `ktp printers …`, `ktp virtual-printer`, `/api/v1/printers`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import drivers
from app import printers as configured


def test_printers_are_added_with_a_checked_address(runner):
    ok = runner.invoke(args=["printers", "add", "kpt-1", "virtual://kpt-1?cards=3",
                             "--office", "33.14"])
    assert ok.exit_code == 0, ok.output
    for uri, reason in (("usb://zz", "must be hex"), ("lpt://1", "unknown printer address"),
                        ("virtual://x?colour=red", "unknown virtual printer option")):
        bad = runner.invoke(args=["printers", "add", "p2", uri])
        assert bad.exit_code == 1 and reason in bad.output
    again = runner.invoke(args=["printers", "add", "kpt-1", "tcp://10.0.0.1:9100"])
    assert again.exit_code == 1 and "exists already" in again.output
    listed = runner.invoke(args=["printers", "list"])
    assert "kpt-1\tvirtual://kpt-1?cards=3\t33.14\tready" in listed.output


def test_status_reports_the_printer_and_fails_when_it_cannot_print(runner, tmp_path):
    runner.invoke(args=["printers", "add", "v", "virtual://status-test?cards=0"])
    result = runner.invoke(args=["printers", "status", "v", "--json"])
    status = json.loads(result.output)
    assert status["identity"]["model"].startswith("Virtual")
    assert status["status"]["state"] == "feeder-empty"
    assert result.exit_code == 1
    runner.invoke(args=["printers", "add", "gone", "tcp://127.0.0.1:1"])
    offline = runner.invoke(args=["printers", "status", "gone"])
    assert offline.exit_code == 1 and "offline" in offline.output


def test_api_lists_the_printers_of_the_clerks_area(runner, client, clerks):
    runner.invoke(args=["printers", "add", "kpt", "virtual://api-kpt", "--office", "33.14"])
    runner.invoke(args=["printers", "add", "kalijambe", "virtual://api-kj", "--office", "33.14.01"])
    runner.invoke(args=["printers", "add", "jkt", "virtual://api-jkt", "--office", "31.71"])

    def names(clerk, **query):
        response = client.get("/api/v1/printers", query_string=query, headers=clerk.headers)
        assert response.status_code == 200
        return {p["name"]: p for p in response.json}

    assert set(names(clerks["kpt"])) == {"kpt", "kalijambe"}
    assert set(names(clerks["kalijambe"])) == {"kalijambe"}
    listed = names(clerks["kpt"])["kpt"]
    assert listed["status"]["state"] == "ready" and listed["serial"].startswith("VIRT")
    assert names(clerks["kpt"], status="false")["kpt"]["status"] is None
    assert client.get("/api/v1/printers").status_code == 401


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_virtual_printer_command_serves_tcp_with_faults(tmp_path, sqlite_url):
    port = _free_port()
    env_cmd = [sys.executable, "-m", "app.cli", "virtual-printer", "--port", str(port),
               "--out", str(tmp_path / "cards"), "--cards", "1", "--fault", "cover-open"]
    bad = subprocess.run([*env_cmd[:-2], "--fault", "melted"], capture_output=True, text=True,
                         env={"KTP_DATABASE_URL": sqlite_url, "PATH": ""})
    assert bad.returncode == 2 and "--fault" in bad.stderr
    server = subprocess.Popen(env_cmd, env={"KTP_DATABASE_URL": sqlite_url}, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert f"tcp://127.0.0.1:{port}" in server.stdout.readline()
        status, identity = drivers.probe(f"tcp://127.0.0.1:{port}")
        assert identity["model"].startswith("Virtual")
        assert (status.state, status.cover_open) == ("cover-open", True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.returncode is not None


def _reported(client, clerk, monkeypatch, status: drivers.PrinterStatus) -> dict:
    """What `/api/v1/printers` says of a printer whose driver reports ``status``."""
    monkeypatch.setattr(configured, "probe", lambda uri: (status, {"model": "M", "serial": "S"}))
    response = client.get("/api/v1/printers", headers=clerk.headers)
    assert response.status_code == 200
    (printer,) = response.json
    return printer["status"]


def test_api_tells_a_busy_printer_from_a_jammed_one(runner, client, clerks, monkeypatch):
    runner.invoke(args=["printers", "add", "kpt", "virtual://api-busy", "--office", "33.14"])
    busy = _reported(client, clerks["kpt"], monkeypatch,
                     drivers.PrinterStatus(online=True, printing=True, card_inside=True))
    assert (busy["state"], busy["printing"], busy["jam"], busy["ready"]) == (
        "printing", True, False, True)
    jammed = _reported(client, clerks["kpt"], monkeypatch,
                       drivers.PrinterStatus(online=True, jam=True, card_inside=True))
    assert (jammed["state"], jammed["printing"], jammed["jam"], jammed["ready"]) == (
        "jam", False, True, False)
    open_cover = _reported(client, clerks["kpt"], monkeypatch,
                           drivers.PrinterStatus(online=True, cover_open=True))
    assert (open_cover["state"], open_cover["cover_open"]) == ("cover-open", True)


def test_the_openapi_document_lists_every_state_the_driver_reports(client):
    spec = client.get("/api/v1/openapi.json").json
    status = spec["components"]["schemas"]["PrinterStatusOut"]
    assert {"printing", "jam"} <= set(status["properties"])
    flags = ("jam", "cover_open", "ribbon_ended", "feeder_empty", "printing")
    states = {drivers.PrinterStatus(online=False).state, drivers.PrinterStatus(online=True).state,
              drivers.PrinterStatus(online=True, ribbon_remaining=1).state,
              *(drivers.PrinterStatus(online=True, **{flag: True}).state for flag in flags)}
    assert states == set(status["properties"]["state"]["enum"])


def test_a_virtual_printer_name_that_leaves_its_folder_is_refused(runner, app):
    """A virtual printer's name is its folder under instance/virtual-printers: ``..`` made the
    instance folder itself (or a folder outside it) the printer's."""
    for uri in ("virtual://..", "virtual://../../etc", "virtual://.hidden"):
        bad = runner.invoke(args=["printers", "add", "p3", uri])
        assert bad.exit_code == 1 and "names a folder" in bad.output, (uri, bad.output)
        assert "Traceback" not in bad.output
    assert "p3" not in runner.invoke(args=["printers", "list"]).output
