"""Every page answers with the strict Content-Security-Policy and the Permissions-Policy; only Swagger UI's page
relaxes style-src (see the browser tests for what Chromium makes of them)."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    return dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if " " in part.strip()
    )


@pytest.mark.parametrize("path", ["/login/", "/signup/", "/admin/login/", "/api/tasks/", "/healthz"])
def test_pages_and_answers_carry_the_strict_policy(client, path):
    response = client.get(path, HTTP_HOST="127.0.0.1:8000")
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    # The page's own host for the socket, whatever the browser makes of 'self' for ws: and wss:.
    assert policy["connect-src"] == "'self' ws://127.0.0.1:8000 wss://127.0.0.1:8000"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_swagger_ui_allows_inline_styles_only(client):
    page = client.get("/api/docs/", HTTP_HOST="127.0.0.1:8000")
    assert page.status_code == 200
    policy = directives(page)
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    assert "<script>" not in page.content.decode()  # the split view: its start-up code is a script file
    script = client.get("/api/docs/?script=", HTTP_HOST="127.0.0.1:8000")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
