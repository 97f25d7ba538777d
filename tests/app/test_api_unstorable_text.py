"""Text no database can hold (a NUL character, a lone surrogate) is refused by `/api/v1`
with a 4xx naming where it was, on both backends, and nothing is written. Before, PostgreSQL
answered a NUL with a 500 (psycopg refuses it) and both backends a lone surrogate."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.database import db
from registry.models import AuditEntry, Resident

from .test_api_residents import NEW, create


def _written(app) -> tuple[int, int]:
    with app.app_context(), db().read() as session:
        return (session.scalar(select(func.count()).select_from(AuditEntry)),
                session.scalar(select(func.count()).select_from(Resident)))


@pytest.mark.parametrize("path, field", [
    ("/api/v1/residents/%00", "nik"),
    ("/api/v1/residents/3314105708800001%00", "nik"),
    ("/api/v1/residents/%00/card.pdf", "nik"),
    ("/api/v1/residents/%00/photo", "nik"),
    ("/api/v1/families/%00", "kk"),
])
def test_a_nul_in_a_path_parameter_is_a_400_naming_it(client, clerks, path, field):
    response = client.get(path, headers=clerks["sragen"].headers)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert "NUL" in response.json["errors"]["path"][field][0]


def test_a_nul_in_a_query_parameter_is_a_400_naming_it(client, clerks):
    response = client.get("/api/v1/residents?q=SRI%00", headers=clerks["sragen"].headers)
    assert response.status_code == 400
    assert "NUL" in response.json["errors"]["query"]["q"][0]


def _raw_patch(client, clerk, nik: str, body: str):
    return client.patch(f"/api/v1/residents/{nik}", data=body, content_type="application/json",
                        headers=clerk.headers)


@pytest.mark.parametrize("note, words", [('"a\\u0000b"', "NUL"), ('"\\ud800"', "Unicode")])
def test_a_note_that_cannot_be_stored_is_a_422_and_nothing_changes(app, client, clerks, note,
                                                                   words):
    clerk = clerks["sragen"]
    nik = create(client, clerk).json["nik"]
    before = _written(app)
    response = _raw_patch(client, clerk, nik, f'{{"alamat": "JL. BARU 1", "note": {note}}}')
    assert response.status_code == 422, response.get_data(as_text=True)
    assert words in response.json["errors"]["json"]["note"][0]
    assert _written(app) == before
    resident = client.get(f"/api/v1/residents/{nik}", headers=clerk.headers).json
    assert (resident["alamat"], resident["version"]) == (NEW["alamat"], 1)


def test_a_lone_surrogate_in_a_registration_is_named(app, client, clerks):
    before = _written(app)
    body = json.dumps({**NEW, "nama": "X"}).replace('"X"', '"\\ud800"')
    response = client.post("/api/v1/residents", data=body, content_type="application/json",
                           headers=clerks["sragen"].headers)
    assert response.status_code == 422
    assert list(response.json["errors"]["json"]) == ["nama"]
    assert _written(app) == before


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_digits_of_other_scripts_are_no_region_code(app, client, clerks):
    """Python's \\d matches any Unicode digit; the OpenAPI document's pattern (ECMA-262) only
    0-9. A full-width desa code passed the schema and was refused as outside the clerk's
    area, a 403 with an audit entry, instead of a 422 naming the field."""
    before = _written(app)
    response = create(client, clerks["kpt"], desa_code="33.14.10.1001".translate(FULLWIDTH))
    assert response.status_code == 422
    assert list(response.json["errors"]["json"]) == ["desa_code"]
    assert _written(app) == before
    search = client.get("/api/v1/residents",
                        query_string={"kecamatan": "33.14.10".translate(FULLWIDTH)},
                        headers=clerks["kpt"].headers)
    assert search.status_code == 400
    assert "must be a kecamatan code" in search.json["errors"]["query"]["kecamatan"][0]


@pytest.mark.parametrize("path", ["/evaluation/data.json", "/evaluation/report.pdf",
                                  "/evaluation/export/stock.csv"])
def test_a_nul_in_a_data_route_called_with_a_token_is_a_400(app, client, clerks, path):
    """A script's request with a bearer token is left to the API by the pages' own check; on
    PostgreSQL the refusal's audit entry (office ``\\x00`` outside the area) was a 500."""
    before = _written(app)
    response = client.get(f"{path}?office=33.14%00", headers=clerks["supervisor"].headers)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert "NUL" in response.json["errors"]["query"]["office"][0]
    assert _written(app) == before
