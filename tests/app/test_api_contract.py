"""Schemathesis against the published OpenAPI document: whatever a client sends, the API
answers without a server error and within its documented responses and schemas.

One check is left out: "schema-valid data is accepted". Rules that need the registry itself
(the desa code exists, the NIK matches the birth date, the person is not registered already)
cannot be written in OpenAPI, so a schema-valid body may rightly get a 422 or a 409.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from app.database import db as app_db
from registry import residents
from registry.audit import SYSTEM
from tests.registry.factories import resident_fields


@pytest.fixture
def api_schema(app, clerks):
    with app.app_context(), app_db().write() as session:
        for i, name in enumerate(("SRI WAHYUNI", "JOKO WIDODO", "SOEKARNO")):
            residents.register(session, SYSTEM, resident_fields(
                nama=name, tanggal_lahir=dt.date(1980, 1, 1 + i)))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    token = clerks["kpt"].token

    @schema.auth()
    class Bearer:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


def test_api_conforms_to_its_openapi_document(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "GET /api/v1/residents", "POST /api/v1/residents", "GET /api/v1/residents/{nik}",
        "PATCH /api/v1/residents/{nik}", "GET /api/v1/families/{kk}"}
    for operation in operations:
        exercise(operation)


def exercise(operation) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def calls(case):
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    calls()
