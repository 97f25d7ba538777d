"""`/api/v1` over the Flask test client: authentication, validation, areas, the contract."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.models import AuditEntry

NEW = {
    "nama": "Sri Wahyuni", "tempat_lahir": "SRAGEN", "tanggal_lahir": "1980-08-17",
    "jenis_kelamin": "PEREMPUAN", "golongan_darah": "O", "agama": "ISLAM",
    "status_perkawinan": "KAWIN", "pekerjaan": "PETANI/PEKEBUN", "alamat": "JL. SUKOWATI 12",
    "rt": "1", "rw": "2", "desa_code": "33.14.10.1001",
}


def create(client, clerk, **overrides):
    return client.post("/api/v1/residents", json={**NEW, **overrides}, headers=clerk.headers)


@pytest.mark.parametrize("path", ["/api/v1/residents", "/api/v1/residents/3314105708800001",
                                  "/api/v1/families/3314101708800001"])
def test_every_api_route_needs_a_token_or_session(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json["code"] == 401 and "Bearer" in response.json["message"]
    bad = client.get(path, headers={"Authorization": "Bearer ktp_nonsense"})
    assert bad.status_code == 401 and "unknown or revoked" in bad.json["message"]


def test_health_and_openapi_are_public(client):
    assert client.get("/healthz").json == {"status": "ok", "database": client.application
                                           .extensions["ktp.db"].engine.dialect.name}
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    post = spec["paths"]["/api/v1/residents"]["post"]
    assert {"201", "401", "403", "409", "422"} <= set(post["responses"])
    schema = spec["components"]["schemas"]["ResidentCreate"]
    assert "KEPERCAYAAN TERHADAP TUHAN YME" in schema["properties"]["agama"]["enum"]


def test_create_allocates_a_nik_and_reads_back(client, clerks):
    response = create(client, clerks["sragen"])
    assert response.status_code == 201
    body = response.json
    assert body["nik"] == "3314105708800001"
    assert (body["nama"], body["rt"], body["desa"], body["kecamatan"]) == (
        "SRI WAHYUNI", "001", "Sine", "Sragen")
    got = client.get(f"/api/v1/residents/{body['nik']}", headers=clerks["sragen"].headers)
    assert got.status_code == 200 and got.json["kk"] == body["kk"]
    family = client.get(f"/api/v1/families/{body['kk']}", headers=clerks["sragen"].headers).json
    assert family["kepala_keluarga"] == body["nik"]
    assert [m["nik"] for m in family["members"]] == [body["nik"]]


def test_bad_fields_are_named_in_a_422(client, clerks):
    response = create(client, clerks["sragen"], agama="PASTAFARI", tanggal_lahir="17-08-1980",
                      rt="x", extra="?")
    assert response.status_code == 422
    fields = response.json["errors"]["json"]
    assert {"agama", "tanggal_lahir", "rt", "extra"} <= set(fields)
    domain = create(client, clerks["sragen"], tanggal_lahir="2999-01-01",
                    desa_code="33.14.10.9999")
    assert domain.status_code == 422
    assert set(domain.json["errors"]["json"]) == {"tanggal_lahir", "desa_code"}


def test_a_version_that_is_not_a_whole_number_is_named(client, clerks):
    nik = create(client, clerks["sragen"]).json["nik"]
    url, headers = f"/api/v1/residents/{nik}", clerks["sragen"].headers
    for version in (1.5, "1"):
        response = client.patch(url, json={"pekerjaan": "GURU", "version": version},
                                headers=headers)
        assert response.status_code == 422 and "version" in response.json["errors"]["json"]
    assert client.get(url, headers=headers).json["pekerjaan"] != "GURU"


def test_a_likely_duplicate_is_a_409_with_candidates_until_confirmed(client, clerks):
    first = create(client, clerks["sragen"], nama="SOEKARNO", jenis_kelamin="LAKI-LAKI").json
    again = create(client, clerks["sragen"], nama="SUKARNO", jenis_kelamin="LAKI-LAKI")
    assert again.status_code == 409
    assert [c["nik"] for c in again.json["candidates"]] == [first["nik"]]
    confirmed = create(client, clerks["sragen"], nama="SUKARNO", jenis_kelamin="LAKI-LAKI",
                       confirm_duplicate=True)
    assert confirmed.status_code == 201 and confirmed.json["nik"] != first["nik"]


def test_patch_refuses_static_elements_and_stale_versions(client, clerks):
    nik = create(client, clerks["sragen"]).json["nik"]
    url, headers = f"/api/v1/residents/{nik}", clerks["sragen"].headers
    refused = client.patch(url, json={"tanggal_lahir": "1990-01-01", "pekerjaan": "GURU"},
                           headers=headers)
    assert refused.status_code == 422
    assert "static element" in refused.json["errors"]["json"]["tanggal_lahir"][0]
    ok = client.patch(url, json={"pekerjaan": "GURU", "version": 1}, headers=headers)
    assert ok.status_code == 200 and (ok.json["pekerjaan"], ok.json["version"]) == ("GURU", 2)
    stale = client.patch(url, json={"pekerjaan": "PEDAGANG", "version": 1}, headers=headers)
    assert stale.status_code == 409


def test_search_finds_any_spelling_within_the_clerks_area(client, clerks):
    create(client, clerks["sragen"], nama="DJOKO SUSILO", jenis_kelamin="LAKI-LAKI")
    create(client, clerks["kalijambe"], nama="JOKO WIDODO", jenis_kelamin="LAKI-LAKI",
           desa_code="33.14.01.2001")
    def found(clerk, **query):
        response = client.get("/api/v1/residents", query_string=query, headers=clerk.headers)
        assert response.status_code == 200
        return sorted(r["nama"] for r in response.json["items"])
    assert found(clerks["kpt"], q="joko") == ["DJOKO SUSILO", "JOKO WIDODO"]
    assert found(clerks["sragen"], q="joko") == ["DJOKO SUSILO"]
    assert found(clerks["kpt"], q="djoko", kecamatan="33.14.01") == ["JOKO WIDODO"]
    assert found(clerks["jakarta"], q="joko") == []


def test_other_areas_are_refused_and_the_refusal_audited(app, client, clerks):
    nik = create(client, clerks["sragen"]).json["nik"]
    denied = client.get(f"/api/v1/residents/{nik}", headers=clerks["kalijambe"].headers)
    assert denied.status_code == 403 and "outside the area" in denied.json["message"]
    assert create(client, clerks["kalijambe"]).status_code == 403
    search = client.get("/api/v1/residents", query_string={"kecamatan": "33.14.10"},
                        headers=clerks["kalijambe"].headers)
    assert search.status_code == 403
    with app.app_context(), app.extensions["ktp.db"].read() as session:
        denials = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "access.denied")).all()
    assert [(d.actor, d.entity) for d in denials] == [
        ("kalijambe", "resident"), ("kalijambe", "region"), ("kalijambe", "region")]


def test_supervisors_read_but_do_not_register(client, clerks):
    response = create(client, clerks["supervisor"])
    assert response.status_code == 403 and "may not register" in response.json["message"]
    assert client.get("/api/v1/residents", headers=clerks["supervisor"].headers).status_code == 200


def test_unknown_resident_and_family_are_404(client, clerks):
    headers = clerks["kpt"].headers
    assert client.get("/api/v1/residents/3314105708809999", headers=headers).status_code == 404
    assert client.get("/api/v1/families/nonsense", headers=headers).status_code == 404
