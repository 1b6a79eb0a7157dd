"""Sockets close after a password reset and after "sign out everywhere" (real sockets on the ASGI application)."""

from urllib.parse import urlsplit

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts import emails
from apps.accounts.tests.factories import UserFactory
from apps.realtime.tests.ws import access_token, expect_close, open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_sockets")]
SIGNED_OUT = [{"type": "error", "detail": "Signed out: authenticate again."}]
NEW_PASSWORD = "a-Fresh-passphrase-77"


async def test_sign_out_everywhere_closes_every_socket_of_the_user_only():
    user, bystander = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    mine = [await open_socket(access_token(user)), await open_socket(access_token(user))]
    theirs = await open_socket(access_token(bystander))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(user)}")
    response = await sync_to_async(api.post)("/api/me/logout-all/")
    assert response.status_code == 204
    for ws in mine:
        assert await expect_close(ws) == SIGNED_OUT
    await theirs.send_json_to({"type": "ping"})
    assert (await theirs.receive_json_from())["type"] == "pong"


async def test_a_password_reset_closes_the_users_sockets():
    user = await sync_to_async(UserFactory)()
    ws = await open_socket(access_token(user))
    link = urlsplit(await sync_to_async(emails.password_reset_url)(user)).path
    browser = Client()

    def reset() -> int:
        form = browser.get(link, follow=True)
        set_url = form.redirect_chain[-1][0]
        return browser.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code

    assert await sync_to_async(reset)() == 302
    assert await expect_close(ws) == SIGNED_OUT
