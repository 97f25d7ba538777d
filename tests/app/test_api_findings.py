"""`/api/v1/residents` at its edges: duplicates outside the clerk's area, NIK and KK warnings,
the one head of a family, query strings and bodies that say nothing."""

from __future__ import annotations

import pytest

from .test_api_residents import NEW, create


def test_a_duplicate_outside_the_area_is_counted_never_shown(client, clerks):
    theirs = create(client, clerks["kalijambe"], nama="SOEKARNO HADI",
                    jenis_kelamin="LAKI-LAKI", desa_code="33.14.01.2001").json
    assert client.get(f"/api/v1/residents/{theirs['nik']}",
                      headers=clerks["sragen"].headers).status_code == 403
    again = create(client, clerks["sragen"], nama="SUKARNO HADI", jenis_kelamin="LAKI-LAKI")
    assert again.status_code == 409
    body = again.get_data(as_text=True)
    assert (again.json["candidates"], again.json["candidates_outside_area"]) == ([], 1)
    for secret in (theirs["nik"], "SOEKARNO", theirs["alamat"], "33.14.01", "Keden"):
        assert secret not in body
    confirmed = create(client, clerks["sragen"], nama="SUKARNO HADI", jenis_kelamin="LAKI-LAKI",
                       confirm_duplicate=True)
    assert confirmed.status_code == 201


def test_a_duplicate_inside_the_area_is_shown_in_full_beside_the_count(client, clerks):
    ours = create(client, clerks["sragen"], nama="SOEKARNO", jenis_kelamin="LAKI-LAKI").json
    create(client, clerks["kalijambe"], nama="SUKARNO", jenis_kelamin="LAKI-LAKI",
           desa_code="33.14.01.2001", confirm_duplicate=True)
    again = create(client, clerks["kpt"], nama="SUKARNO", jenis_kelamin="LAKI-LAKI")
    assert again.status_code == 409 and again.json["candidates_outside_area"] == 0
    assert len(again.json["candidates"]) == 2  # the KPT's area is the whole kabupaten
    mine = create(client, clerks["sragen"], nama="SUKARNO", jenis_kelamin="LAKI-LAKI").json
    assert [c["nik"] for c in mine["candidates"]] == [ours["nik"]]
    assert mine["candidates_outside_area"] == 1 and ours["nik"] in mine["message"]


def test_swapped_words_are_a_likely_duplicate(client, clerks):
    create(client, clerks["sragen"], nama="SOEKARNO HADI", jenis_kelamin="LAKI-LAKI")
    again = create(client, clerks["sragen"], nama="HADI SUKARNO", jenis_kelamin="LAKI-LAKI")
    assert again.status_code == 409 and len(again.json["candidates"]) == 1


def test_a_given_nik_of_an_unknown_kecamatan_is_registered_with_its_warning(client, clerks):
    response = create(client, clerks["kpt"], nik="3314995708800001")
    assert response.status_code == 201
    assert response.json["warnings"] == [{"field": "nik", "message": (
        "kecamatan 33.14.99 is not in today's region list (it may have been split since)")}]
    assert create(client, clerks["kpt"], nama="ANI").json["warnings"] == []
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert schemas["ResidentCreated"]["properties"]["warnings"]["type"] == "array"


@pytest.mark.parametrize("kk, reason", [("0000000000000000", "province 00 does not exist"),
                                        ("3399101708800001", "kabupaten/kota 33.99")])
def test_a_kk_number_of_no_region_is_refused(client, clerks, kk, reason):
    response = create(client, clerks["kpt"], kk=kk, hubungan_keluarga="ANAK")
    assert response.status_code == 422
    assert reason in response.json["errors"]["json"]["kk"][0]


def family_of_three(client, clerk):
    head = create(client, clerk, nama="BUDI", jenis_kelamin="LAKI-LAKI",
                  tanggal_lahir="1975-01-01").json
    wife = create(client, clerk, kk=head["kk"], hubungan_keluarga="ISTRI").json
    child = create(client, clerk, nama="ANI", kk=head["kk"], hubungan_keluarga="ANAK",
                   tanggal_lahir="2005-01-01").json
    return head, wife, child


def test_the_only_head_cannot_stop_being_head_without_a_successor(client, clerks):
    headers = clerks["sragen"].headers
    head, wife, _ = family_of_three(client, clerks["sragen"])
    url = f"/api/v1/residents/{head['nik']}"
    for change, field in (({"hubungan_keluarga": "ANAK"}, "hubungan_keluarga"),
                          ({"status": "MENINGGAL"}, "status")):
        refused = client.patch(url, json=change, headers=headers)
        assert refused.status_code == 422, change
        assert "without an active KEPALA KELUARGA" in refused.json["errors"]["json"][field][0]
    family = client.get(f"/api/v1/families/{head['kk']}", headers=headers).json
    assert family["kepala_keluarga"] == head["nik"]
    moved = client.patch(url, json={"hubungan_keluarga": "SUAMI",
                                    "new_kepala_keluarga": wife["nik"]}, headers=headers)
    assert moved.status_code == 200 and moved.json["hubungan_keluarga"] == "SUAMI"
    family = client.get(f"/api/v1/families/{head['kk']}", headers=headers).json
    assert family["kepala_keluarga"] == wife["nik"]


def test_a_successor_must_be_another_active_member(client, clerks):
    headers = clerks["sragen"].headers
    head, _, child = family_of_three(client, clerks["sragen"])
    stranger = create(client, clerks["sragen"], nama="EKO", jenis_kelamin="LAKI-LAKI").json
    url = f"/api/v1/residents/{head['nik']}"
    wrong = client.patch(url, json={"status": "PINDAH", "new_kepala_keluarga": stranger["nik"]},
                         headers=headers)
    assert wrong.status_code == 422 and "new_kepala_keluarga" in wrong.json["errors"]["json"]
    needless = client.patch(f"/api/v1/residents/{child['nik']}",
                            json={"pekerjaan": "GURU", "new_kepala_keluarga": head["nik"]},
                            headers=headers)
    assert needless.status_code == 422
    alone = create(client, clerks["sragen"], nama="WARNO", jenis_kelamin="LAKI-LAKI",
                   tanggal_lahir="1950-01-01").json
    died = client.patch(f"/api/v1/residents/{alone['nik']}", json={"status": "MENINGGAL"},
                        headers=headers)
    assert died.status_code == 200  # nobody active is left without a head


@pytest.mark.parametrize("q", ["%", "_", "🙂", "%_%", "-"])
def test_a_query_with_nothing_to_search_for_is_a_400_naming_q(client, clerks, q):
    create(client, clerks["sragen"])
    response = client.get("/api/v1/residents", query_string={"q": q},
                          headers=clerks["sragen"].headers)
    assert response.status_code == 400 and "q" in response.json["errors"]["query"]
    everyone = client.get("/api/v1/residents", headers=clerks["sragen"].headers)
    assert everyone.status_code == 200 and everyone.json["total"] == 1


@pytest.mark.parametrize("query, field", [
    ({"kecamatan": "33.14.99"}, "kecamatan"),
    ({"desa": "33.14"}, "desa"),
    ({"desa": "33.14.10"}, "desa"),
    ({"kecamatan": "33.14.10.1001"}, "kecamatan"),
    ({"desa": "33.14.10.9999"}, "desa"),
])
def test_an_area_that_is_no_such_region_is_a_400_naming_the_field(client, clerks, query, field):
    response = client.get("/api/v1/residents", query_string=query,
                          headers=clerks["kpt"].headers)
    assert response.status_code == 400
    assert list(response.json["errors"]["query"]) == [field]


def test_an_area_of_the_region_list_is_searched(client, clerks):
    create(client, clerks["sragen"])
    for query in ({"kecamatan": "33.14.10"}, {"desa": "33.14.10.1001"}):
        response = client.get("/api/v1/residents", query_string=query,
                              headers=clerks["kpt"].headers)
        assert response.status_code == 200 and response.json["total"] == 1


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_body_that_is_not_json_is_a_415(client, clerks, method):
    import json

    url = "/api/v1/residents" if method == "post" else "/api/v1/residents/3314105708800001"
    response = getattr(client, method)(url, data=json.dumps(NEW), content_type="text/plain",
                                       headers=clerks["sragen"].headers)
    assert response.status_code == 415
    assert "application/json" in response.json["message"]
    spec = client.get("/api/v1/openapi.json").json
    operation = "post" if method == "post" else "patch"
    path = "/api/v1/residents" if method == "post" else "/api/v1/residents/{nik}"
    assert "415" in spec["paths"][path][operation]["responses"]
