import time
import uuid

import jwt
import pytest
from django.conf import settings
from django.urls import reverse
from ninja_jwt.tokens import AccessToken, RefreshToken

from apps.accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

JWT = settings.NINJA_JWT


def obtain(client, username, password=DEFAULT_PASSWORD):
    return client.post(reverse("token-obtain"), {"username": username, "password": password}, format="json")


def me(client, token):
    return client.get(reverse("me"), HTTP_AUTHORIZATION=f"Bearer {token}")


def claims(user, **overrides):
    now = int(time.time())
    payload = {
        "token_type": "access",
        "user_id": user.id,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 300,
        "iss": JWT["ISSUER"],
        "aud": JWT["AUDIENCE"],
    }
    payload.update(overrides)
    return payload


def test_obtain_then_me(api_client, user):
    response = obtain(api_client, user.username)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert me(api_client, body["access"]).json() == {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "email_verified": True,
    }


def test_tokens_carry_issuer_audience_and_five_minute_lifetime(api_client, user):
    access = obtain(api_client, user.username).json()["access"]
    payload = jwt.decode(access, options={"verify_signature": False})
    assert payload["iss"] == "taskflow"
    assert payload["aud"] == "taskflow-api"
    assert payload["exp"] - payload["iat"] == 300


def test_wrong_password_is_401_with_bearer_challenge(api_client, user):
    response = obtain(api_client, user.username, "not-the-password")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "credentials" in response.json()["detail"]


def test_inactive_user_cannot_obtain(api_client, user):
    user.is_active = False
    user.save()
    assert obtain(api_client, user.username).status_code == 401


def test_refresh_rotates_and_old_refresh_is_refused(api_client, user):
    first = obtain(api_client, user.username).json()
    response = api_client.post(reverse("token-refresh"), {"refresh": first["refresh"]}, format="json")
    assert response.status_code == 200
    second = response.json()
    assert second["refresh"] != first["refresh"]
    assert me(api_client, second["access"]).status_code == 200

    again = api_client.post(reverse("token-refresh"), {"refresh": first["refresh"]}, format="json")
    assert again.status_code == 401
    assert "blacklisted" in again.json()["detail"]


def refresh(client, token):
    return client.post(reverse("token-refresh"), {"refresh": token}, format="json")


def test_reusing_a_rotated_refresh_token_revokes_its_whole_family(api_client, user):
    first = obtain(api_client, user.username).json()
    second = refresh(api_client, first["refresh"]).json()
    third = refresh(api_client, second["refresh"]).json()
    other_login = obtain(api_client, user.username).json()
    # A copy of an already-rotated token comes back (stolen, or replayed): refused...
    assert refresh(api_client, first["refresh"]).status_code == 401
    # ...and the newest token of that family is refused too, as are the family's access tokens.
    assert refresh(api_client, third["refresh"]).status_code == 401
    assert me(api_client, third["access"]).status_code == 401
    assert me(api_client, first["access"]).status_code == 401
    # Another login (another family) is untouched.
    assert me(api_client, other_login["access"]).status_code == 200
    assert refresh(api_client, other_login["refresh"]).status_code == 200
    # A new login works again.
    assert me(api_client, obtain(api_client, user.username).json()["access"]).status_code == 200


def test_the_family_survives_rotation_in_the_claims(api_client, user):
    first = obtain(api_client, user.username).json()
    second = refresh(api_client, first["refresh"]).json()

    def family(token):
        return jwt.decode(token, options={"verify_signature": False})["fam"]

    assert family(first["refresh"]) == family(first["access"]) == family(second["refresh"]) == family(second["access"])
    assert family(obtain(api_client, user.username).json()["refresh"]) != family(first["refresh"])


def test_logout_ends_the_access_tokens_of_that_login(api_client, user):
    pair = obtain(api_client, user.username).json()
    other = obtain(api_client, user.username).json()
    assert api_client.post(reverse("logout"), {"refresh": pair["refresh"]}, format="json").status_code == 204
    assert me(api_client, pair["access"]).status_code == 401
    assert me(api_client, other["access"]).status_code == 200


def test_logout_then_refresh_is_refused(api_client, user):
    pair = obtain(api_client, user.username).json()
    response = api_client.post(reverse("logout"), {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 204
    again = api_client.post(reverse("token-refresh"), {"refresh": pair["refresh"]}, format="json")
    assert again.status_code == 401


def test_logout_with_garbage_is_401(api_client):
    response = api_client.post(reverse("logout"), {"refresh": "not.a.token"}, format="json")
    assert response.status_code == 401


def test_refresh_missing_field_is_400(api_client):
    response = api_client.post(reverse("token-refresh"), {}, format="json")
    assert response.status_code == 400
    assert "refresh" in response.json()


def test_expired_access_token_is_401(api_client, user):
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-__import__("datetime").timedelta(seconds=1))
    response = me(api_client, str(token))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_alg_none_token_is_401(api_client, user):
    token = jwt.encode(claims(user), key=None, algorithm="none")
    assert me(api_client, token).status_code == 401


def test_token_signed_with_another_key_is_401(api_client, user):
    token = jwt.encode(claims(user), key="another-key-that-is-long-enough-for-hs256!!", algorithm="HS256")
    assert me(api_client, token).status_code == 401


def test_wrong_audience_is_401(api_client, user):
    token = jwt.encode(claims(user, aud="someone-else"), key=JWT["SIGNING_KEY"], algorithm="HS256")
    assert me(api_client, token).status_code == 401


def test_wrong_issuer_is_401(api_client, user):
    token = jwt.encode(claims(user, iss="someone-else"), key=JWT["SIGNING_KEY"], algorithm="HS256")
    assert me(api_client, token).status_code == 401


def test_correctly_signed_handmade_token_is_accepted(api_client, user):
    """The negative cases above fail for the reason they name, not because hand-made tokens never work."""
    token = jwt.encode(claims(user), key=JWT["SIGNING_KEY"], algorithm="HS256")
    assert me(api_client, token).status_code == 200


def test_refresh_token_used_as_access_token_is_401(api_client, user):
    refresh = str(RefreshToken.for_user(user))
    assert me(api_client, refresh).status_code == 401


def test_no_credentials_is_401(api_client):
    response = api_client.get(reverse("me"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_deleted_user_is_401(api_client, user):
    token = str(AccessToken.for_user(user))
    user.delete()
    assert me(api_client, token).status_code == 401


def test_malformed_json_is_400(api_client):
    response = api_client.generic("POST", reverse("token-obtain"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
