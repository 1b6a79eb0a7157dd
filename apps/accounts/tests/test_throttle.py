import pytest
from django.urls import reverse

from apps.accounts.tests.factories import DEFAULT_PASSWORD
from apps.accounts.throttles import LoginClientAnyThrottle

pytestmark = pytest.mark.django_db


def test_login_is_throttled_per_client_and_username(api_client, user, settings):
    url = reverse("token-obtain")
    answers = [
        api_client.post(url, {"username": user.username, "password": "wrong"}, format="json").status_code
        for _ in range(6)
    ]
    assert answers == [401] * 5 + [429]
    # Even the right password is refused while throttled, and the answer says when to come back.
    response = api_client.post(url, {"username": user.username, "password": "x"}, format="json")
    assert response.status_code == 429
    assert "Retry-After" in response
    # Another username from the same client is not blocked by the first one's counter.
    assert api_client.post(url, {"username": "someone-else", "password": "x"}, format="json").status_code == 401


def test_username_throttle_spans_clients(api_client, user):
    url = reverse("token-obtain")
    statuses = []
    for n in range(21):
        statuses.append(
            api_client.post(
                url, {"username": user.username, "password": "wrong"}, format="json", REMOTE_ADDR=f"10.0.0.{n + 1}"
            ).status_code
        )
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429


def test_forged_forwarded_for_does_not_reset_the_client_throttle(api_client, user):
    url = reverse("token-obtain")
    statuses = [
        api_client.post(
            url, {"username": user.username, "password": "wrong"}, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_one_client_cannot_try_username_after_username(api_client, monkeypatch):
    monkeypatch.setitem(LoginClientAnyThrottle.THROTTLE_RATES, "login_client_any", "5/hour")
    url = reverse("token-obtain")
    statuses = [
        api_client.post(url, {"username": f"guess{n}", "password": "x"}, format="json").status_code for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    # Another client is not held back by this one.
    other = api_client.post(url, {"username": "guess9", "password": "x"}, format="json", REMOTE_ADDR="10.1.1.1")
    assert other.status_code == 401


def test_others_cannot_lock_the_owner_out_of_their_own_client(api_client, user):
    url = reverse("token-obtain")
    home = "192.0.2.10"
    right = {"username": user.username, "password": DEFAULT_PASSWORD}
    assert api_client.post(url, right, format="json", REMOTE_ADDR=home).status_code == 200
    for n in range(25):
        api_client.post(url, {"username": user.username, "password": "wrong"}, format="json", REMOTE_ADDR=f"10.0.0.{n}")
    # The attack holds the username for clients new to it...
    assert api_client.post(url, right, format="json", REMOTE_ADDR="198.51.100.7").status_code == 429
    # ...but the owner's own client still gets in.
    assert api_client.post(url, right, format="json", REMOTE_ADDR=home).status_code == 200


def test_oversized_fields_are_refused_before_the_cache(api_client, monkeypatch):
    from django.core.cache import cache

    keys = []
    original = cache.get_many

    def spy(wanted, *args, **kwargs):
        keys.extend(wanted)
        return original(wanted, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", spy)
    original_get = cache.get

    def spy_get(key, *args, **kwargs):
        keys.append(key)
        return original_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", spy_get)
    url = reverse("token-obtain")
    for field in ("username", "password"):
        data = {"username": "alice", "password": "x", field: "a" * 200_000}
        response = api_client.post(url, data, format="json")
        assert response.status_code == 400
        assert field in response.json()
    assert keys == []
    # A normal attempt's keys are digests: bounded, whatever the username.
    api_client.post(url, {"username": "b" * 150, "password": "x"}, format="json")
    assert keys and all(len(key) < 100 and "bbbb" not in key for key in keys)


@pytest.mark.redis
def test_lone_surrogate_username_is_a_4xx_in_redis_mode(api_client):
    body = '{"username": "a\\ud800", "password": "x"}'
    response = api_client.generic("POST", reverse("token-obtain"), body, content_type="application/json")
    assert response.status_code == 400
    assert "Unicode" in response.json()["detail"]


def test_admin_login_is_behind_the_same_limits(client, user):
    url = "/admin/login/?next=/admin/"
    statuses = [client.post(url, {"username": user.username, "password": "wrong"}).status_code for _ in range(5)]
    assert statuses == [200] * 5  # the form shown again with an error
    response = client.post(url, {"username": user.username, "password": "wrong"})
    assert response.status_code == 429
    assert "Retry-After" in response
    # The admin's attempts and the API's share one budget.
    api = reverse("token-obtain")
    assert (
        client.post(api, {"username": user.username, "password": "x"}, content_type="application/json").status_code
        == 429
    )
