"""A batch's text that no database can hold, and command-line input the CLI cannot read, are
refused with the field or argument named: a 422 from the API, one line and a non-zero exit
from `ktp batch`, and no batch, card row or audit entry written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.models import AuditEntry
from registry.models.batch import Batch, BatchItem


def _written(town) -> tuple[int, int, int]:
    with town.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Batch, BatchItem, AuditEntry))


@pytest.mark.parametrize("body, field, words", [
    ('{"reason": "rusak\\u0000", "kecamatan": "33.14.10"}', "reason", "NUL"),
    ('{"reason": "\\ud800", "kecamatan": "33.14.10"}', "reason", "Unicode"),
    ('{"reason": "rusak", "q": "WARGA\\u0000"}', "q", "NUL"),
])
def test_the_api_refuses_text_it_cannot_store(client, clerks, town, body, field, words):
    town.people(1)
    before = _written(town)
    response = client.post("/api/v1/batches", data=body, content_type="application/json",
                           headers=clerks["supervisor"].headers)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert words in response.json["errors"]["json"][field][0]
    assert _written(town) == before


def _one_line_error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output and lines[-1].startswith("Error: "), result.output
    return lines[-1]


@pytest.mark.parametrize(("content", "says"), [
    ("nik,nama\n3314105708800001,JOSÉ\n".encode("latin-1"), "not UTF-8"),
    (bytes(range(256)), "not UTF-8"),
    ("NIK\n33141057\x0008800001\n".encode("utf-16"), "NUL characters"),
])
def test_a_nik_file_that_is_not_text_is_one_line(runner, town, tmp_path, content, says):
    path = tmp_path / "niks.csv"
    path.write_bytes(content)
    before = _written(town)
    result = runner.invoke(args=["batch", "create", "--niks", str(path), "--reason", "rusak"])
    assert result.exit_code == 1
    line = _one_line_error(result)
    assert "niks.csv" in line and says in line
    assert _written(town) == before


def test_a_utf16_nik_file_is_read(runner, town, tmp_path):
    """A spreadsheet's "Unicode text" export, with its byte-order mark."""
    (nik,) = town.people(1)
    path = tmp_path / "niks.txt"
    path.write_bytes(f"NIK\n{nik}\n".encode("utf-16"))
    result = runner.invoke(args=["batch", "create", "--niks", str(path), "--reason", "rusak",
                                 "--office", "33.14"])
    assert result.exit_code == 0, result.output
    assert "1 cards to print" in result.output


def test_a_reason_that_is_not_utf8_is_named(runner, town):
    town.people(1)
    before = _written(town)
    result = runner.invoke(args=["batch", "create", "--kecamatan", "33.14.10",
                                 "--reason", "rusak\udcff"])  # the bytes b"rusak\xff" in argv
    assert result.exit_code == 1
    assert "--reason" in _one_line_error(result)
    assert _written(town) == before


@pytest.mark.parametrize("args", [["batch", "status", str(10**20)],
                                  ["batch", "items", str(2**31)],
                                  ["batch", "pause", str(10**20)],
                                  ["batch", "resolve", str(10**20), "printed"]])
def test_an_id_beyond_any_batch_is_a_usage_error(runner, town, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "not in the range" in result.output
