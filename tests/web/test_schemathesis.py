"""Schemathesis against the app's own OpenAPI: no 5xx, responses match the schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from madoguchi.web import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(local=False))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case: schemathesis.Case) -> None:
    # positive_data_acceptance is left out on purpose: a schema-valid body can still be no
    # situation at all (empty text, an unknown prefecture), and that is a 422 by design.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
