from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.notifications import selectors, services
from apps.notifications.models import Notification
from apps.notifications.serializers import (
    NotificationSerializer,
    PreferencesSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
)

NOT_FOUND = OpenApiResponse(description="No such notification of the caller's")
UNAUTHENTICATED = OpenApiResponse(description="No or bad credentials")


class NotificationListQuery(serializers.Serializer):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)
    after = serializers.IntegerField(required=False, min_value=0)
    after_seq = serializers.IntegerField(required=False, min_value=0)


class NotificationListApi(GenericAPIView):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for schema generation; reads go through the selectors

    @extend_schema(
        summary="The caller's notifications, newest first",
        parameters=[
            OpenApiParameter("unread", bool, description="Only unread ones"),
            OpenApiParameter("after", {"type": "integer", "minimum": 0}, description="Only those with a larger id"),
            OpenApiParameter(
                "after_seq",
                {"type": "integer", "minimum": 0},
                description="Only those with a larger seq (the user's own numbering)",
            ),
        ],
        responses={
            200: NotificationSerializer(many=True),
            400: OpenApiResponse(description="Bad query"),
            401: UNAUTHENTICATED,
        },
    )
    def get(self, request: Request) -> Response:
        query = NotificationListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        notifications = selectors.notification_list_for(user=request.user)
        if query.validated_data.get("unread") is True:
            notifications = notifications.filter(read_at__isnull=True)
        elif query.validated_data.get("unread") is False:
            notifications = notifications.filter(read_at__isnull=False)
        if "after" in query.validated_data:
            notifications = notifications.filter(id__gt=query.validated_data["after"])
        if "after_seq" in query.validated_data:
            notifications = notifications.filter(seq__gt=query.validated_data["after_seq"])
        page = self.paginate_queryset(notifications)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)


class UnreadCountApi(APIView):
    @extend_schema(summary="How many are unread", responses={200: UnreadCountSerializer, 401: UNAUTHENTICATED})
    def get(self, request: Request) -> Response:
        return Response({"count": selectors.unread_count(user_id=request.user.pk)})


class MarkReadApi(APIView):
    @extend_schema(
        summary="Mark one read (idempotent)",
        request=None,
        responses={200: NotificationSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def post(self, request: Request, notification_id: int) -> Response:
        notification = selectors.notification_get_for(user=request.user, notification_id=notification_id)
        notification = services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class MarkAllReadApi(APIView):
    @extend_schema(summary="Mark all read", request=None, responses={200: ReadAllSerializer, 401: UNAUTHENTICATED})
    def post(self, request: Request) -> Response:
        return Response({"updated": services.notification_mark_all_read(user=request.user)})


class PreferencesApi(APIView):
    @extend_schema(summary="Email choices per kind", responses={200: PreferencesSerializer, 401: UNAUTHENTICATED})
    def get(self, request: Request) -> Response:
        return Response({"email": selectors.email_choices_for(user_id=request.user.pk)})

    @extend_schema(
        summary="Change email choices per kind (kinds not given keep their choice)",
        request=PreferencesSerializer,
        responses={
            200: PreferencesSerializer,
            400: OpenApiResponse(description="Unknown kind or not a boolean"),
            401: UNAUTHENTICATED,
        },
    )
    def put(self, request: Request) -> Response:
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        choices = services.preferences_update(user=request.user, email=serializer.validated_data["email"])
        return Response({"email": choices})
