import pytest
from django.urls import reverse

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
