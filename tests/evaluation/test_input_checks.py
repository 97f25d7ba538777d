"""What the dashboard, the report download and `ktp report` do with periods and years that
cannot be: a clear message in the user's language naming the field, never a 500, a traceback or
a silent fall-back."""

from __future__ import annotations

import pytest

from .test_dashboard import MARCH

RAW = ("month must be in", "before it starts 2", "': use 2026", "out of range", "Traceback",
       "there is no such day", "months are 01 to 12<", "the year must be 1900")  # registry's


def flashed(client, query: dict) -> str:
    page = client.get("/evaluation", query_string=query)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert not [raw for raw in RAW if raw in text]
    return text


@pytest.mark.parametrize(("query", "indonesian", "english"), [
    ({"period": "2026-13"}, "Periode: 2026-13 bukan bulan; bulan ditulis 01 sampai 12.",
     "Period: 2026-13 is not a month; months are 01 to 12."),
    ({"period": "abc"}, "Periode: “abc” bukan periode; tulis 2026, 2026-03,",
     "Period: “abc” is not a period; write 2026, 2026-03,"),
    ({"period": "0000"}, "Periode: tahun harus antara 1900 dan 2999, bukan 0.",
     "Period: the year must be from 1900 to 2999, not 0."),
    ({"period": "2026-03-09..2026-03-05"},
     "Periode: periode berakhir 05-03-2026, sebelum dimulai 09-03-2026.",
     "Period: the period ends on 05-03-2026, before it starts on 09-03-2026."),
    ({"period": "custom", "from": "2026-03-09", "to": "2026-03-05"},
     "Sampai (termasuk): periode berakhir 05-03-2026, sebelum dimulai 09-03-2026.",
     "Until (inclusive): the period ends on 05-03-2026, before it starts on 09-03-2026."),
    ({"period": "custom", "from": "2026-02-30"},
     "Dari: 2026-02-30 bukan tanggal yang ada di kalender.",
     "From: 2026-02-30 is not a day of the calendar."),
    ({"period": "custom", "to": "31/03/2026"}, "Sampai (termasuk): tanggal ditulis TTTT-BB-HH.",
     "Until (inclusive): dates are written YYYY-MM-DD."),
    ({"period": "custom", "from": "99999-01-01"}, "Dari: tanggal ditulis TTTT-BB-HH.",
     "From: dates are written YYYY-MM-DD."),
])
def test_a_period_that_cannot_be_is_explained_in_both_languages(client_of, march, query,
                                                                 indonesian, english):
    supervisor = client_of("supervisor")
    assert indonesian in flashed(supervisor, query)
    assert english in flashed(supervisor, {**query, "lang": "en"})
    refused = supervisor.get("/evaluation/data.json", query_string={**query, "lang": "id"})
    assert refused.status_code == 422
    assert indonesian in " ".join(m for ms in refused.json["errors"].values() for m in ms)


@pytest.mark.parametrize("year", ["99999", "0", "1899", "abc", "2026.5", "²⁰²⁶", "-2026"])
def test_a_report_year_that_cannot_be_is_a_400_naming_year(client_of, march, year):
    supervisor = client_of("supervisor")
    refused = supervisor.get("/evaluation/report.pdf", query_string={"year": year})
    assert refused.status_code == 400
    [message] = refused.json["errors"]["year"]
    assert message.startswith("year: tulis tahun dari 1900 sampai 2999, misalnya ")
    english = supervisor.get("/evaluation/report.pdf", query_string={"year": year, "lang": "en"})
    assert english.status_code == 400
    assert english.json["message"].startswith("year: write a year from 1900 to 2999, such as")


def test_a_report_without_a_year_is_this_years(client_of, march):
    response = client_of("supervisor").get("/evaluation/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


@pytest.mark.parametrize("year", ["0", "10000", "1899", "abc"])
def test_ktp_report_names_a_bad_year(runner, march, tmp_path, year):
    result = runner.invoke(args=["report", "--year", year, "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "Invalid value for '--year'" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "r.pdf").exists()


def test_ktp_evaluation_names_a_bad_period(runner, march):
    result = runner.invoke(args=["evaluation", "skm", "--period", "0000"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "period: 0: the year must be 1900 to 2999" in result.output


def test_the_default_view_explains_nothing(client_of, march):
    text = flashed(client_of("supervisor"), MARCH)
    assert 'class="flash flash-error"' not in text
