"""A request body over the limit is a 413 that names the limit: JSON for the API, the page the
clerk sent it from, with the message, for the counter."""

from __future__ import annotations


def oversize(app) -> bytes:
    return b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)


def test_the_api_answers_an_oversize_body_with_its_error_json(app, client, clerks):
    response = client.post("/api/v1/residents", data=oversize(app),
                           content_type="application/json", headers=clerks["sragen"].headers)
    assert response.status_code == 413
    assert (response.json["code"], response.json["status"]) == (413, "Request Entity Too Large")
    assert "16.0 MB" in response.json["message"] and "2.0 MB" in response.json["message"]


def test_a_page_sends_the_clerk_back_with_the_limit(app, client):
    response = client.post("/login?lang=en", data=oversize(app),
                           content_type="application/x-www-form-urlencoded",
                           headers={"Referer": "http://localhost/login?lang=en"})
    assert response.status_code == 302 and response.headers["Location"] == "/login?lang=en"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The upload is larger than the 16.0 MB this service accepts" in page
    assert "at most 2.0 MB" in page
