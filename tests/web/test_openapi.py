"""Property-based API conformance with schemathesis: no 5xx, responses match the OpenAPI schema."""
from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

from materia.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(scope="module")
def api_schema(web_db: Settings):  # type: ignore[no-untyped-def]
    from materia.web import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_db))


def test_openapi_api_conforms(api_schema) -> None:  # type: ignore[no-untyped-def]
    """Each API operation, with generated parameters: no 5xx, status and body documented."""
    from hypothesis import given

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 7
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate()

        check()
