"""Bad input answers a JSON 4xx naming the problem, never a 500, on both backends (issue 10, items 1 to 6)."""

import datetime

import jwt
import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_json_4xx(response, code=400):
    assert response.status_code == code, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("url", ["/api/auth/token/", "/api/projects/", "/api/tasks/"])
def test_deeply_nested_json_is_a_400(auth_client, url):
    response = auth_client.generic("POST", url, DEEP, content_type="application/json")
    body = assert_json_4xx(response)
    assert "nested" in body["detail"]


def test_lone_surrogate_username_at_login_is_refused(api_client):
    body = '{"username": "a\\ud800", "password": "x"}'
    response = api_client.generic("POST", reverse("token-obtain"), body, content_type="application/json")
    assert response.status_code in (400, 401), response.content
    assert response.json()


@pytest.mark.parametrize("param", ["assignee", "project"])
@pytest.mark.parametrize("value", ["\u00b2", "\u0663", str(2**63), str(10**30), "-1", "1.5"])
def test_integer_query_params_are_validated(auth_client, param, value):
    body = assert_json_4xx(auth_client.get("/api/tasks/", {param: value}))
    assert param in body


@pytest.mark.parametrize(
    "param,value",
    [
        ("due_before", "0001-01-01T00:00:00+05:00"),
        ("due_after", "9999-12-31T23:59:59-05:00"),
        ("updated_after", "0001-01-01T00:00:00+00:01"),
    ],
)
def test_timestamps_out_of_range_are_a_400(auth_client, param, value):
    body = assert_json_4xx(auth_client.get("/api/tasks/", {param: value}))
    assert param in body


def test_search_is_bounded(auth_client, settings):
    assert auth_client.get("/api/tasks/", {"search": "a b c"}).status_code == 200
    body = assert_json_4xx(auth_client.get("/api/tasks/", {"search": " ".join(["w"] * 2000)}))
    assert str(settings.SEARCH_MAX_TERMS) in body["search"][0]
    body = assert_json_4xx(auth_client.get("/api/tasks/", {"search": "x" * (settings.SEARCH_MAX_LENGTH + 1)}))
    assert str(settings.SEARCH_MAX_LENGTH) in body["search"][0]


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/99999999999999999999/",
        "/api/tasks/99999999999999999999/activity/",
        "/api/projects/99999999999999999999/",
        "/api/projects/99999999999999999999/members/",
        "/api/notifications/99999999999999999999/read/",
    ],
)
def test_overflowing_path_ids_are_404(auth_client, path):
    method = auth_client.post if path.endswith("/read/") else auth_client.get
    assert_json_4xx(method(path), 404)


def test_overflowing_member_id_is_404(auth_client, project):
    response = auth_client.delete(f"/api/projects/{project.pk}/members/{10**30}/")
    assert_json_4xx(response, 404)
    response = auth_client.post(f"/api/projects/{project.pk}/members/", {"user_id": 10**30}, format="json")
    assert response.status_code in (400, 404), response.content


def test_lone_surrogate_preference_key_is_a_400(auth_client):
    body = '{"email": {"a\\ud800": true}}'
    response = auth_client.generic("PUT", "/api/notifications/preferences/", body, content_type="application/json")
    assert_json_4xx(response)


def _token_with(user, **claims) -> str:
    now = datetime.datetime.now(datetime.UTC)
    payload = {
        "token_type": "access",
        "user_id": user.pk,
        "jti": "x" * 32,
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + 300,
        "iss": settings.NINJA_JWT["ISSUER"],
        "aud": settings.NINJA_JWT["AUDIENCE"],
    } | claims
    return jwt.encode(payload, settings.NINJA_JWT["SIGNING_KEY"], algorithm="HS256")


def test_rightly_signed_token_with_absurd_expiry_is_a_401(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {_token_with(user)}")
    assert api_client.get("/api/me/").status_code == 200  # the helper makes acceptable tokens
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {_token_with(user, exp=1e300)}")
    assert_json_4xx(api_client.get("/api/me/"), 401)


def test_oversized_body_is_a_json_413(auth_client, settings):
    body = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + '"}'
    response = auth_client.generic("POST", "/api/projects/", body, content_type="application/json")
    body = assert_json_4xx(response, 413)
    assert "detail" in body


def test_api_404_and_405_are_json(auth_client):
    assert_json_4xx(auth_client.get("/api/no-such-thing/"), 404)
    assert_json_4xx(auth_client.get("/api/auth/token/"), 405)
