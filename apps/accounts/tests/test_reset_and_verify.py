"""The whole password reset and email verification flows, through the locmem email backend: follow the link, then
check that it works once and expires."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from ninja_jwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.accounts import services
from apps.accounts.apis import RESET_ANSWER
from apps.accounts.limits import PasswordResetAddressThrottle, PasswordResetClientThrottle
from apps.accounts.tests.emails import link_in, sent_to
from apps.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-Fresh-passphrase-77"
RESET = "/api/auth/password-reset/"


def path(url: str) -> str:
    return urlsplit(url).path


def ask_reset(client, email: str, **extra):
    return client.post(RESET, {"email": email}, format="json", **extra)


def test_reset_answers_the_same_for_known_and_unknown_addresses(api_client, committed):
    user = UserFactory(email="known@example.com")
    known = committed(ask_reset, api_client, "KNOWN@example.com")
    unknown = committed(ask_reset, api_client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() == {"detail": RESET_ANSWER}
    [email] = mail.outbox
    assert email.to == [user.email]
    assert email.alternatives[0][1] == "text/html"
    assert link_in(email, "/reset/").startswith("http://testserver.example/reset/")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver.example"


def test_the_reset_link_sets_a_new_password_once_and_revokes_every_refresh_token(api_client, client, committed):
    user = UserFactory(email="known@example.com")
    refresh_tokens = [api_client.post("/api/auth/token/", {"username": user.username, "password": DEFAULT_PASSWORD})]
    assert refresh_tokens[0].status_code == 200
    committed(ask_reset, api_client, user.email)
    link = path(link_in(mail.outbox[0], "/reset/"))

    form_page = client.get(link, follow=True)  # Django moves the token into the session and redirects
    assert form_page.status_code == 200 and "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = committed(client.post, set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/reset/done/"

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    outstanding = OutstandingToken.objects.filter(user=user)
    assert outstanding.count() == BlacklistedToken.objects.filter(token__user=user).count() == 1
    refreshed = api_client.post("/api/auth/token/refresh/", {"refresh": refresh_tokens[0].json()["refresh"]})
    assert refreshed.status_code == 401

    again = client.get(link, follow=True)  # single use: the password (and so the token's hash) changed
    assert "This link does not work" in again.content.decode()


def test_an_expired_reset_link_is_refused(api_client, client, committed, settings, monkeypatch):
    user = UserFactory(email="known@example.com")
    committed(ask_reset, api_client, user.email)
    link = path(link_in(mail.outbox[0], "/reset/"))
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 5)
    from django.contrib.auth.tokens import default_token_generator

    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = client.get(link, follow=True)
    assert "This link does not work" in page.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_reset_requests_are_limited_per_address_and_per_client(api_client, committed, monkeypatch):
    monkeypatch.setattr(PasswordResetAddressThrottle, "THROTTLE_RATES", {"password_reset_address": "2/hour"})
    monkeypatch.setattr(PasswordResetClientThrottle, "THROTTLE_RATES", {"password_reset_client": "4/hour"})
    UserFactory(email="known@example.com")
    answers = [committed(ask_reset, api_client, "known@example.com").status_code for _ in range(3)]
    assert answers == [202, 202, 429]
    assert len(mail.outbox) == 2  # nobody fills an inbox with reset links
    # The same address from another client is still limited; another address from this client is not, yet.
    assert ask_reset(api_client, "known@example.com", REMOTE_ADDR="10.1.1.1").status_code == 429
    assert ask_reset(api_client, "other@example.com").status_code == 202
    assert ask_reset(api_client, "third@example.com").status_code == 429  # the client's fifth request


def test_reset_refuses_something_that_is_not_an_address(api_client):
    response = ask_reset(api_client, "not an address")
    assert response.status_code == 400 and "email" in response.json()


# --- verification --------------------------------------------------------------------------------------------------
def register(api_client, committed, name: str = "vera"):
    body = {"username": name, "email": f"{name}@example.com", "password": DEFAULT_PASSWORD}
    assert committed(api_client.post, "/api/auth/register/", body, format="json").status_code == 202
    return get_user_model().objects.get(username=name)


def test_following_the_verification_link_verifies_once(api_client, client, committed):
    user = register(api_client, committed)
    link = path(link_in(sent_to("vera@example.com")[0], "/account/verify/"))
    page = client.get(link)
    assert page.status_code == 200 and "Email address confirmed" in page.content.decode()
    user.refresh_from_db()
    assert user.email_verified
    again = client.get(link)
    assert again.status_code == 400 and "already used" in again.content.decode()


def test_an_expired_or_forged_verification_link_is_refused(api_client, client, committed, settings):
    user = register(api_client, committed)
    link = path(link_in(sent_to("vera@example.com")[0], "/account/verify/"))
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    assert "expired" in client.get(link).content.decode()
    settings.EMAIL_VERIFICATION_MAX_AGE = 3600
    assert client.get(link.replace("/verify/", "/verify/x")).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_a_new_address_is_used_only_once_verified(committed, make_client, client):
    user = UserFactory(email="old@example.com")
    api = make_client(user)
    response = committed(api.patch, "/api/me/", {"email": "new@example.com"}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": user.username,
        "email": "old@example.com",
        "email_verified": True,
    }
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("old@example.com", "new@example.com")
    [email] = sent_to("new@example.com")
    assert client.get(path(link_in(email, "/account/verify/"))).status_code == 200
    assert api.get("/api/me/").json()["email"] == "new@example.com"
    assert client.get(path(link_in(email, "/account/verify/"))).status_code == 400  # single use


def test_changing_to_a_taken_address_answers_the_same_and_tells_its_owner(committed, make_client):
    owner = UserFactory(email="taken@example.com")
    user = UserFactory(email="mine@example.com")
    response = committed(make_client(user).patch, "/api/me/", {"email": "Taken@example.com"}, format="json")
    assert response.status_code == 200 and response.json()["email"] == "mine@example.com"
    assert [m.to for m in mail.outbox] == [[owner.email]]
    user.refresh_from_db()
    assert user.pending_email == ""


def test_resend_from_the_dashboard_sends_a_fresh_link(committed, client):
    user = UserFactory(email="late@example.com", email_verified=False)
    client.force_login(user)
    assert "Resend the link" in client.get("/").content.decode()
    response = committed(client.post, "/account/verify/resend/", {"next": "account"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    [email] = sent_to("late@example.com")
    assert client.get(path(link_in(email, "/account/verify/"))).status_code == 200
    assert "Resend the link" not in client.get("/").content.decode()


def test_the_service_refuses_a_link_for_an_address_the_account_no_longer_has(committed):
    user = UserFactory(email="first@example.com", email_verified=False)
    committed(services.email_verification_resend, user=user)
    link = link_in(mail.outbox[0], "/account/verify/")
    get_user_model().objects.filter(pk=user.pk).update(email="second@example.com")
    with pytest.raises(services.VerificationRefused):
        services.email_verify(token=path(link).rstrip("/").rsplit("/", 1)[1])
