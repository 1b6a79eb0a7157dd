from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from apps.assist.enhance import enhance_description
from apps.assist.errors import AssistUnavailable, SuggestionRejected
from apps.assist.priority import suggest_priority
from apps.assist.serializers import (
    EnhancementSerializer,
    EnhanceRequestSerializer,
    PriorityRequestSerializer,
    PrioritySuggestionSerializer,
    RejectedSuggestionSerializer,
    UnavailableSerializer,
)

_UNAVAILABLE = OpenApiResponse(UnavailableSerializer, description="The assistant cannot answer now; nothing changed.")


def _unavailable(exc: AssistUnavailable) -> Response:
    body: dict[str, object] = {"detail": exc.detail}
    if isinstance(exc, SuggestionRejected):
        # The client learns why nothing is suggested; neither text is echoed back.
        body["reason"] = exc.reason
        if exc.changes is not None:
            body["changes"] = exc.changes
    return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)


class EnhanceThrottle(UserRateThrottle):
    """Each call costs a paid LLM request: a per-user ceiling (settings.ASSIST_ENHANCE_RATE, default 30/min)."""

    scope = "assist_enhance"

    def get_rate(self) -> str:
        return str(getattr(settings, "ASSIST_ENHANCE_RATE", "30/min"))


class PriorityThrottle(UserRateThrottle):
    """Each call runs the local model under a process-wide lock: a per-user ceiling (settings.ASSIST_PRIORITY_RATE,
    default 60/min) so one user cannot queue everyone else behind their calls."""

    scope = "assist_priority"

    def get_rate(self) -> str:
        return str(settings.ASSIST_PRIORITY_RATE)


class PrioritySuggestionApi(APIView):
    throttle_classes = [PriorityThrottle]

    @extend_schema(
        request=PriorityRequestSerializer,
        responses={
            200: PrioritySuggestionSerializer,
            400: OpenApiResponse(description="Empty or too long title, naive due_at, bad field"),
            401: OpenApiResponse(description="Not authenticated"),
            429: OpenApiResponse(description="Too many suggestions asked; Retry-After says when to come back"),
            503: _UNAVAILABLE,
        },
        examples=[
            OpenApiExample(
                "urgent",
                value={"title": "URGENT: production database is down", "due_at": "2026-12-01T09:00:00Z"},
                request_only=True,
            )
        ],
        tags=["assist"],
        summary="Suggest a priority for a task's text (changes nothing)",
    )
    def post(self, request: Request) -> Response:
        serializer = PriorityRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            suggestion = suggest_priority(**serializer.validated_data)
        except AssistUnavailable as exc:
            return _unavailable(exc)
        return Response(suggestion)


class EnhanceDescriptionApi(APIView):
    throttle_classes = [EnhanceThrottle]

    @extend_schema(
        request=EnhanceRequestSerializer,
        responses={
            200: EnhancementSerializer,
            400: OpenApiResponse(description="Missing, blank or longer than 10,000 characters"),
            401: OpenApiResponse(description="Not authenticated"),
            429: OpenApiResponse(description="Too many enhancement requests"),
            503: OpenApiResponse(
                RejectedSuggestionSerializer,
                description=(
                    "Nothing is suggested. Provider down or not configured: `{detail}`. The guard refused the answer: "
                    "`{detail, reason}`, reason one of facts_changed (with `changes`), off_task, too_long, empty, "
                    "drift."
                ),
                examples=[
                    OpenApiExample(
                        "facts_changed",
                        value={
                            "detail": "The suggestion was rejected: it changes facts of the original text.",
                            "reason": "facts_changed",
                            "changes": [{"kind": "negation", "removed": ["not"], "added": [], "reordered": False}],
                        },
                    ),
                    OpenApiExample(
                        "off_task",
                        value={
                            "detail": "The suggestion was rejected: it is not an edit of the text (it adds code, "
                            "steps, a list or other content).",
                            "reason": "off_task",
                        },
                    ),
                ],
            ),
        },
        tags=["assist"],
        summary="Suggest a clearer wording of a description (changes nothing)",
    )
    def post(self, request: Request) -> Response:
        serializer = EnhanceRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            enhancement = enhance_description(text=serializer.validated_data["text"])
        except AssistUnavailable as exc:
            return _unavailable(exc)
        return Response(enhancement)
