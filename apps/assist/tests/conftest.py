"""Assist test fixtures: the real encoder (loaded once per session) and a Groq API behind httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from apps.assist import encoder
from apps.assist.enhance import provider
from apps.assist.priority import service as priority_service

TEST_KEY = "gsk_test_key"


@pytest.fixture(scope="session")
def loaded_encoder() -> encoder.EncoderInfo:
    """The real MiniLM model. encoder.py caches it per process, so the whole session pays the load once."""
    return encoder.load()


@pytest.fixture(scope="session")
def training_features(loaded_encoder):
    """(training rows, their head features from the fp32 encoder): computed once, shared by the tests that need them.

    In split() order, one call of features_for() over all training texts, exactly as training computes them.
    """
    from apps.assist.priority.dataset import load_rows, split
    from apps.assist.priority.training import features_for

    train, _ = split(load_rows())
    return train, features_for([row.text for row in train], int8=False)


@pytest.fixture
def fresh_head_cache():
    """For tests that point ASSIST_PRIORITY_HEAD elsewhere: the committed head is read again afterwards."""
    priority_service.reset_cache()
    yield
    priority_service.reset_cache()


def completion(content: str | None, *, finish_reason: str = "stop", model: str = "llama-3.3-70b-versatile") -> dict:
    """A chat completion body as Groq's OpenAI-compatible API returns it."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_780_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 20, "total_tokens": 140},
    }


Action = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class GroqMock:
    """Answers each request with the next queued action (the last one repeats) and records what it received."""

    actions: list[Action] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def queue(self, *actions: Action) -> GroqMock:
        self.actions.extend(actions)
        return self

    def reply(self, content: str | None, **kwargs: Any) -> GroqMock:
        return self.queue(httpx.Response(200, json=completion(content, **kwargs)))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.actions:
            raise AssertionError("the Groq mock received a request it was not given an answer for")
        action = self.actions.pop(0) if len(self.actions) > 1 else self.actions[0]
        if isinstance(action, Exception):
            raise action
        if callable(action) and not isinstance(action, httpx.Response):
            return action(request)
        return action

    @property
    def bodies(self) -> list[dict]:
        return [json.loads(request.content) for request in self.requests]


@pytest.fixture
def groq_mock(monkeypatch, settings) -> GroqMock:
    """Groq configured with a test key, its HTTP traffic routed to a GroqMock; the retry wait shortened to 10 ms."""
    settings.GROQ_API_KEY = TEST_KEY
    settings.GROQ_MODEL = "llama-3.3-70b-versatile"
    settings.ASSIST_GROQ_MAX_RETRY_WAIT = 0.01
    mock = GroqMock()
    monkeypatch.setattr(provider, "http_client_factory", lambda: httpx.Client(transport=httpx.MockTransport(mock)))
    return mock
