import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.apis import REGISTER_ANSWER
from apps.accounts.tests.emails import link_in, sent_to
from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/auth/register/"


def register(client, **body):
    data = {"username": "carol", "email": "carol@example.com", "password": "a-Strong-passphrase-42"}
    data.update(body)
    return client.post(URL, {k: v for k, v in data.items() if v is not None}, format="json")


def test_register_creates_an_unverified_user_who_can_log_in_at_once(api_client, committed):
    response = committed(register, api_client)
    assert response.status_code == 202
    assert response.json() == {"detail": REGISTER_ANSWER}
    user = get_user_model().objects.get(username="carol")
    assert user.check_password("a-Strong-passphrase-42")
    assert (user.email, user.email_verified) == ("carol@example.com", False)
    assert reverse("register") == URL
    [email] = sent_to("carol@example.com")
    assert "/account/verify/" in link_in(email, "/account/verify/")
    login = api_client.post("/api/auth/token/", {"username": "carol", "password": "a-Strong-passphrase-42"})
    assert login.status_code == 200


def test_a_taken_email_gets_the_same_answer_creates_nothing_and_tells_its_owner(api_client, committed):
    owner = UserFactory(username="dora", email="dora@example.com")
    response = committed(register, api_client, username="intruder", email="DORA@example.com")
    assert response.status_code == 202
    assert response.json() == {"detail": REGISTER_ANSWER}
    assert not get_user_model().objects.filter(username="intruder").exists()
    [email] = sent_to(owner.email)
    assert "already belongs to yours" in email.body
    assert "/password-reset/" in link_in(email, "/password-reset/")


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "carol"])
def test_weak_password_is_400_naming_password(api_client, password):
    response = register(api_client, password=password)
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not get_user_model().objects.filter(username="carol").exists()


@pytest.mark.parametrize("variant", ["CAROL", "Carol", "\uff23arol", "\uff43\uff41\uff52\uff4f\uff4c"])
def test_a_username_taken_in_any_case_or_unicode_form_is_400(api_client, variant):
    UserFactory(username="carol")
    response = register(api_client, username=variant, email="other@example.com")
    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}
    assert get_user_model().objects.count() == 1


def test_usernames_are_stored_in_nfkc_and_compared_canonically(api_client):
    assert register(api_client, username="\uff21lice", email="a1@example.com").status_code == 202
    user = get_user_model().objects.get()
    assert (user.username, user.username_canonical) == ("Alice", "alice")
    assert register(api_client, username="alice", email="a2@example.com").status_code == 400


def test_the_database_refuses_a_second_canonical_name_whatever_the_edge():
    UserFactory(username="alice")
    with pytest.raises(IntegrityError), transaction.atomic():
        # The model keeps the canonical column; even a bulk insert that skipped save() collides in it.
        get_user_model().objects.bulk_create(
            [get_user_model()(username="\uff21LICE", username_canonical="alice", email="x@example.com")]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory.build(username="ALICE", email="y@example.com").save()


def test_a_lost_race_on_the_name_is_400_not_500(api_client, monkeypatch):
    from apps.accounts import serializers, services

    UserFactory(username="carol", email="first@example.com")
    # Both checks passed just before the other request committed: the unique index decides.
    monkeypatch.setattr(serializers, "username_taken", lambda name: False)
    monkeypatch.setattr(services, "username_taken", lambda name: False)
    response = register(api_client, email="second@example.com")
    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}


@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_missing_field_is_400_naming_it(api_client, missing):
    response = register(api_client, **{missing: None})
    assert response.status_code == 400
    assert response.json()[missing] == ["This field is required."]


def test_invalid_email_and_username_are_named(api_client):
    response = register(api_client, username="bad name!", email="nope")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "email"}


def test_registration_is_limited_per_client(api_client, monkeypatch):
    from apps.accounts.limits import RegisterClientThrottle

    monkeypatch.setattr(RegisterClientThrottle, "THROTTLE_RATES", {"register_client": "3/hour"})
    answers = [register(api_client, username=f"u{n}", email=f"u{n}@example.com").status_code for n in range(4)]
    assert answers == [202, 202, 202, 429]
    assert get_user_model().objects.count() == 3
    body = {"username": "v", "email": "v@example.com", "password": "a-Strong-passphrase-42"}
    assert api_client.post(URL, body, format="json", REMOTE_ADDR="10.0.0.9").status_code == 202  # another client


def test_the_admin_refuses_a_canonical_twin_as_a_form_error(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    UserFactory(username="alice")
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "\uff21lice", "password1": "a-Strong-passphrase-42", "password2": "a-Strong-passphrase-42"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"] == ["A user with that username already exists."]
