from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.assist import encoder

pytestmark = pytest.mark.django_db

URL = "/api/assist/priority/"


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_suggests_a_priority_and_writes_nothing(auth_client, loaded_encoder):
    with CaptureQueriesContext(connection) as queries:
        response = auth_client.post(URL, {"title": "URGENT: production database is down"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"priority", "confidence", "probabilities", "cues", "model"}
    assert body["priority"] == "high"
    assert set(body["probabilities"]) == {"low", "medium", "high"}
    assert 0 < body["confidence"] <= 1
    assert 'urgent word: "URGENT"' in body["cues"]
    assert body["model"].startswith("all-MiniLM-L6-v2+head-")
    assert writes(queries) == []


def test_description_and_near_due_date_are_used(auth_client, loaded_encoder):
    due = (timezone.now() + timedelta(hours=3)).isoformat()
    response = auth_client.post(
        URL,
        {"title": "Prepare the quarterly report", "description": "Numbers from finance.", "due_at": due},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["priority"] == "high"
    assert "raised from medium to high" in body["cues"][-1]


def test_null_due_at_is_accepted(auth_client, loaded_encoder):
    response = auth_client.post(URL, {"title": "maybe tidy the wiki someday", "due_at": None}, format="json")
    assert response.status_code == 200
    assert response.json()["priority"] == "low"


def test_requires_authentication(api_client):
    response = api_client.post(URL, {"title": "URGENT: production database is down"}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "description": "x" * 10_001}, "description"),
        ({"title": "ok", "due_at": "2026-12-01T09:00:00"}, "due_at"),
        ({"title": "ok", "due_at": "tomorrow"}, "due_at"),
    ],
)
def test_validation_errors_name_the_field(auth_client, payload, field):
    response = auth_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_naive_due_at_says_why(auth_client):
    response = auth_client.post(URL, {"title": "ok", "due_at": "2026-12-01T09:00:00"}, format="json")
    assert "timezone" in response.json()["due_at"][0]


def test_malformed_json_is_400(auth_client):
    response = auth_client.generic("POST", URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_missing_head_file_is_503_not_500(auth_client, settings, tmp_path, fresh_head_cache):
    settings.ASSIST_PRIORITY_HEAD = str(tmp_path / "absent.json")
    response = auth_client.post(URL, {"title": "URGENT: production database is down"}, format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": "Priority suggestion is unavailable: the model file is missing or damaged."}


def test_damaged_head_file_is_503(auth_client, settings, tmp_path, fresh_head_cache):
    damaged = tmp_path / "head.json"
    damaged.write_text('{"format": 1, "weights": [')
    settings.ASSIST_PRIORITY_HEAD = str(damaged)
    response = auth_client.post(URL, {"title": "anything"}, format="json")
    assert response.status_code == 503


def test_encoder_that_cannot_load_is_503(auth_client, monkeypatch):
    def unavailable(texts, *, layers):
        raise encoder.EncoderUnavailable("no model here")

    monkeypatch.setattr(encoder, "encode_layers", unavailable)
    response = auth_client.post(URL, {"title": "anything"}, format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": "Priority suggestion is unavailable: the model could not be loaded."}


def test_suggestions_are_limited_per_user(auth_client, other_user, make_client, settings):
    # The limit is checked before the body, so empty bodies (400) count without loading the model.
    settings.ASSIST_PRIORITY_RATE = "2/min"
    assert [auth_client.post(URL, {}, format="json").status_code for _ in range(2)] == [400, 400]
    response = auth_client.post(URL, {}, format="json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    # Another user has a budget of their own.
    assert make_client(other_user).post(URL, {}, format="json").status_code == 400
