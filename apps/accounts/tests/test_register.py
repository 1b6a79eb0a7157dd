import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/api/auth/register/"


def register(client, **body):
    data = {"username": "carol", "email": "carol@example.com", "password": "a-Strong-passphrase-42"}
    data.update(body)
    return client.post(URL, {k: v for k, v in data.items() if v is not None}, format="json")


def test_register_creates_user_and_answers_201(api_client):
    response = register(api_client)
    assert response.status_code == 201
    user = get_user_model().objects.get(username="carol")
    assert response.json() == {"id": user.id, "username": "carol", "email": "carol@example.com"}
    assert user.check_password("a-Strong-passphrase-42")
    assert reverse("register") == URL


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "carol"])
def test_weak_password_is_400_naming_password(api_client, password):
    response = register(api_client, password=password)
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not get_user_model().objects.filter(username="carol").exists()


def test_duplicate_username_is_400_naming_username(api_client, user):
    response = register(api_client, username=user.username.upper())
    assert response.status_code == 400
    assert "username" in response.json()


def test_duplicate_email_is_400_naming_email(api_client, user):
    response = register(api_client, email=user.email)
    assert response.status_code == 400
    assert "email" in response.json()


@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_missing_field_is_400_naming_it(api_client, missing):
    response = register(api_client, **{missing: None})
    assert response.status_code == 400
    assert response.json()[missing] == ["This field is required."]


def test_invalid_email_and_username_are_named(api_client):
    response = register(api_client, username="bad name!", email="nope")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "email"}
