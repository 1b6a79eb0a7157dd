import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts import services
from apps.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MODULES_DIR = Path(settings.BASE_DIR) / "static" / "dashboard"
LOGIN, LOGOUT, SIGNUP, HOME = "/login/", "/logout/", "/signup/", "/"


def page_config(response) -> dict:
    match = re.search(r'<script id="page-config" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page carries its configuration for main.js"
    return json.loads(match.group(1))


# --- the dashboard page ---------------------------------------------------------------------------------------------
def test_urls_are_where_the_settings_will_point():
    assert (reverse("dashboard:index"), reverse("dashboard:login"), reverse("dashboard:logout")) == (
        HOME,
        LOGIN,
        LOGOUT,
    )


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_renders_for_a_signed_in_user_with_its_script_and_stylesheet(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script type="module" src="/static/dashboard/main.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/dashboard/dashboard.css">' in html
    assert re.search(r'<meta name="csrf-token" content="[A-Za-z0-9]{64}">', html)
    config = page_config(response)
    assert config["user"] == {"id": user.pk, "username": user.username}
    assert config["loginUrl"] == LOGIN
    assert list(config["statuses"]) == ["todo", "in_progress", "blocked", "done"]
    assert list(config["priorities"]) == ["low", "medium", "high"]
    # One board column per status, in the model's order.
    assert re.findall(r'<section class="column" data-status="(\w+)"', html) == list(config["statuses"])


def test_the_page_has_every_element_and_stylesheet_the_modules_use(client, user):
    """A merge that keeps one side of index.html must not leave a module looking up a node the page lacks (main.js
    would throw before the board is drawn): every id and every dialog part (`part("...")`, a data-role) the modules ask
    for is in the page, and every stylesheet of the dashboard is linked."""
    client.force_login(user)
    html = client.get(HOME).content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    roles = set(re.findall(r'\bdata-role="([^"]+)"', html))
    wanted_ids, wanted_roles = set(), set()
    for module in MODULES_DIR.glob("*.js"):
        source = module.read_text()
        wanted_ids |= set(re.findall(r'(?:byId|getElementById)\("([\w-]+)"\)', source))
        wanted_roles |= set(re.findall(r'\bpart\("([\w-]+)"\)', source))
    assert {"presence", "task-dialog", "board"} <= wanted_ids and "comment-form" in wanted_roles  # the scan works
    assert sorted(wanted_ids - ids) == []
    assert sorted(wanted_roles - roles) == []
    for sheet in MODULES_DIR.glob("*.css"):
        assert f'<link rel="stylesheet" href="/static/dashboard/{sheet.name}">' in html, sheet.name


def test_stylesheet_and_icon_are_served(client):
    for path, content_type in (
        ("/static/dashboard/dashboard.css", "text/css"),
        ("/static/dashboard/favicon.svg", "image/svg+xml"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(content_type), path


def test_production_static_files_import_each_other_by_hashed_names(tmp_path, settings):
    """collectstatic with the production storage rewrites every module's imports to hashed files that exist, so a
    page never needs an (inline, CSP-refused) import map to load one deploy's modules together."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    # The project's own files only: the admin's and Swagger UI's would cost a minute of compression.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "apps.common.storage.HashedModulesStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    imports = re.compile(r'^\s*import\s+(?:[^"\']+\s+from\s+)?["\'](\./[^"\']+)["\']', re.M)
    for module in MODULES_DIR.glob("*.js"):
        hashed = tmp_path / manifest[f"dashboard/{module.name}"]
        for target in imports.findall(hashed.read_text()):
            assert re.fullmatch(r"\./\w+\.[0-9a-f]{12}\.js", target), f"{hashed.name} imports unhashed {target}"
            assert (hashed.parent / target).is_file(), f"{hashed.name} imports {target}, which was not collected"


def test_modules_import_only_files_that_exist():
    pattern = re.compile(r'^\s*import\s+(?:[^"\']+\s+from\s+)?["\'](\./[^"\']+)["\']', re.M)
    for module in MODULES_DIR.glob("*.js"):
        for target in pattern.findall(module.read_text()):
            assert (MODULES_DIR / target).is_file(), f"{module.name} imports {target}, which does not exist"


def test_modules_never_write_html_from_strings():
    # Every piece of user text is set with textContent or as a text node; the rule is kept mechanically.
    forbidden = re.compile(r"\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b")
    offenders = [path.name for path in MODULES_DIR.glob("*.js") if forbidden.search(path.read_text())]
    assert offenders == []


def test_user_text_is_escaped(client):
    user = UserFactory(username="<img src=x onerror=alert(1)>")
    client.force_login(user)
    response = client.get(HOME)
    html = response.content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert page_config(response)["user"]["username"] == user.username


# --- sign in and out ------------------------------------------------------------------------------------------------
def test_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert 'href="/static/dashboard/dashboard.css"' in html


def test_login_with_good_credentials_goes_to_the_dashboard(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_follows_next_within_the_site_only(client, user):
    credentials = {"username": user.username, "password": DEFAULT_PASSWORD}
    response = client.post(LOGIN, {**credentials, "next": "/api/me/"})
    assert response["Location"] == "/api/me/"
    client.logout()
    response = client.post(LOGIN, {**credentials, "next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_login_with_bad_credentials_is_refused(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": "not-the-password"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(HOME).status_code == 302


def test_a_signed_in_user_skips_the_login_page(client, user):
    client.force_login(user)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_login_attempts_are_throttled_together_with_the_api(client, api_client, user):
    statuses = [client.post(LOGIN, {"username": user.username, "password": "wrong"}).status_code for _ in range(5)]
    assert statuses == [200] * 5
    # The sixth try is refused before any password check, even with the right password.
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The form and POST /api/auth/token/ spend one budget: the API does not offer five more guesses.
    api_answer = api_client.post(
        reverse("token-obtain"), {"username": user.username, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert api_answer.status_code == 429
    # Another account from the same client is not blocked by the first one's counter.
    other = UserFactory()
    assert client.post(LOGIN, {"username": other.username, "password": DEFAULT_PASSWORD}).status_code == 302


def test_logout_signs_out_and_returns_to_the_login_page(client, user):
    client.force_login(user)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(HOME).status_code == 302


def test_logout_needs_a_post(client, user):
    client.force_login(user)
    assert client.get(LOGOUT).status_code == 405
    assert client.get(HOME).status_code == 200


def test_logout_is_csrf_protected(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(LOGOUT).status_code == 403
    assert client.get(HOME).status_code == 200


# --- sign up --------------------------------------------------------------------------------------------------------
def signup_data(**overrides) -> dict:
    return {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
        **overrides,
    }


def test_signup_creates_the_user_through_the_service_and_says_check_your_inbox(client, monkeypatch):
    calls = []
    real = services.user_register

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "user_register", spy)
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/signup/done/"
    assert calls == [{"username": "newcomer", "email": "newcomer@example.com", "password": DEFAULT_PASSWORD}]
    created = get_user_model().objects.get(username="newcomer")
    assert created.check_password(DEFAULT_PASSWORD)
    assert not created.email_verified
    assert "Check your inbox" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something-else-77"}, "password2", "The two passwords differ."),
        ({"password1": "password", "password2": "password"}, "password1", "This password is too common."),
        ({"username": "bad name!"}, "username", "Enter a valid username."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
)
def test_signup_refuses_bad_input(client, overrides, field, message):
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not get_user_model().objects.filter(username=signup_data(**overrides)["username"]).exists()


def test_signup_refuses_a_taken_name_in_any_form_but_not_a_taken_address(client):
    UserFactory(username="Newcomer", email="Someone@Example.com")
    response = client.post(SIGNUP, signup_data(username="\uff2eewcomer", email="someone@example.com"))
    assert response.context["form"].errors == {"username": ["A user with that username already exists."]}
    # A taken address answers like a new one (its owner is emailed): the page does not say which addresses exist.
    response = client.post(SIGNUP, signup_data(username="fresh", email="someone@example.com"))
    assert response.status_code == 302 and response["Location"] == "/signup/done/"
    assert get_user_model().objects.count() == 1


def test_signup_that_loses_a_race_shows_the_service_error(client, monkeypatch):
    def lost_race(**kwargs):
        raise ValidationError({"username": ["A user with that username already exists."]})

    monkeypatch.setattr(services, "user_register", lost_race)
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["A user with that username already exists."]
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_skips_the_signup_page(client, user):
    client.force_login(user)
    assert client.get(SIGNUP)["Location"] == HOME
