"""`/api/v1/residents` refuses values the card cannot print, as the counter's forms do, and
saves nothing when it does."""

from __future__ import annotations

from sqlalchemy import func, select

from registry.models import AuditEntry, Resident

from .test_api_residents import NEW, create
from .test_card_fit import WIDE_NAME


def counts(app) -> tuple[int, int]:
    with app.app_context(), app.extensions["ktp.db"].read() as session:
        return (session.scalar(select(func.count()).select_from(Resident)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def test_a_name_too_wide_for_the_card_is_a_422_naming_it_and_nothing_is_saved(app, client,
                                                                             clerks):
    before = counts(app)
    response = create(client, clerks["sragen"], nama=WIDE_NAME)
    assert response.status_code == 422
    assert response.json["code"] == 422 and "card" in response.json["message"]
    assert list(response.json["errors"]["json"]) == ["nama"]
    assert "too long to print on the card" in response.json["errors"]["json"]["nama"][0]
    assert counts(app) == before
    assert create(client, clerks["sragen"]).status_code == 201


def test_a_correction_that_would_not_print_is_refused_and_the_record_kept(app, client, clerks):
    created = create(client, clerks["sragen"]).json
    url, headers = f"/api/v1/residents/{created['nik']}", clerks["sragen"].headers
    before = counts(app)
    refused = client.patch(url, json={"alamat": "W" * 120, "pekerjaan": "GURU"},
                           headers=headers)
    assert refused.status_code == 422
    assert list(refused.json["errors"]["json"]) == ["alamat"]
    assert counts(app) == before
    kept = client.get(url, headers=headers).json
    assert (kept["alamat"], kept["pekerjaan"], kept["version"]) == (
        NEW["alamat"], NEW["pekerjaan"], created["version"])


def test_a_static_element_is_refused_as_static_not_as_a_misfit(client, clerks):
    nik = create(client, clerks["sragen"]).json["nik"]
    url, headers = f"/api/v1/residents/{nik}", clerks["sragen"].headers
    static = client.patch(url, json={"tempat_lahir": "W" * 40}, headers=headers)
    assert static.status_code == 422
    assert "static element" in static.json["errors"]["json"]["tempat_lahir"][0]
