"""The OpenAPI description and the docs page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/auth/token",
    "/api/v1/me",
    "/api/v1/committees",
    "/api/v1/members",
    "/api/v1/members/{member_id}",
    "/api/v1/members/{member_id}/end",
    "/api/v1/org/terms",
    "/api/v1/org/sessions",
    "/api/v1/org/sectors",
    "/api/v1/org/parties",
    "/api/v1/org/special-committees",
    "/api/v1/org/sub-districts",
    "/api/v1/org/studios",
    "/api/v1/org/contact-points",
    "/api/v1/org/units",
]


def test_openapi_json_lists_the_paths():
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert set(PATHS) <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/members"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/members/{member_id}"]) == {"get", "patch"}
    assert {"BearerAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    assert schema["paths"]["/api/v1/auth/token"]["post"].get("security") in (None, [])
    assert "422" in schema["paths"]["/api/v1/members"]["post"]["responses"]


def test_the_docs_page_uses_no_outside_script():
    r = Client().get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
