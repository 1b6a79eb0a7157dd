from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from apps.projects.selectors import project_list_for
from apps.tasks import selectors, services
from apps.tasks.filters import BoundedSearchFilter, TaskFilter
from apps.tasks.models import Task
from apps.tasks.permissions import require_can_delete
from apps.tasks.serializers import (
    TaskActivitySerializer,
    TaskConflictSerializer,
    TaskCreateSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each field: `{field: [message]}`"),
    401: OpenApiResponse(description="No or bad credentials"),
    404: OpenApiResponse(description="No such task among the caller's projects"),
}


def _representation(task: Task) -> dict:
    """The task as its event showed it when the service published one (serialized once), else serialized now."""
    return getattr(task, "representation", None) or TaskSerializer(task).data


@extend_schema_view(
    list=extend_schema(
        summary="Tasks of the caller's projects",
        parameters=[
            OpenApiParameter("assignee", str, description='A user id, or "me"'),
            OpenApiParameter("search", str, description="Words in the title, description or comments"),
            OpenApiParameter("label", int, many=True, description="Label ids; tasks carrying any of them"),
        ],
        responses={200: TaskSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
    ),
    retrieve=extend_schema(summary="One task", responses={200: TaskSerializer, 401: ERRORS[401], 404: ERRORS[404]}),
)
class TaskViewSet(viewsets.GenericViewSet):
    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend, BoundedSearchFilter]
    filterset_class = TaskFilter
    search_fields = ["title", "description", "comments__body"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Task.objects.none()
        return selectors.task_list_for(user=self.request.user)

    def get_object(self):
        return selectors.task_get_for(user=self.request.user, task_id=self.kwargs["pk"])

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(TaskSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a task",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
    def create(self, request: Request) -> Response:
        serializer = TaskCreateSerializer(data=request.data, projects=project_list_for(user=request.user))
        serializer.is_valid(raise_exception=True)
        task = services.task_create(actor=request.user, **serializer.validated_data)
        # Answer from what the service returned: a committed write must not fail on a read after it.
        return Response(_representation(task), status=201)

    @extend_schema(
        summary="Change a task",
        description="Send `version` to apply the change only to that version (else 409 with the current task); "
        "without it the last write wins.",
        request=TaskUpdateSerializer,
        responses={
            200: TaskSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            404: ERRORS[404],
            409: OpenApiResponse(TaskConflictSerializer, description="Stale `version`"),
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        try:
            serializer = TaskUpdateSerializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
        except APIException:
            self.get_object()  # a task the caller cannot see answers 404, whatever the body says
            raise
        data = dict(serializer.validated_data)
        expected_version = data.pop("version", None)
        try:
            # The membership scope (404) and the row lock are one query, inside the service's transaction.
            task = services.task_update_for(user=request.user, task_id=pk, data=data, expected_version=expected_version)
        except services.TaskVersionConflict as conflict:
            current = selectors.task_get_for(user=request.user, task_id=conflict.current.pk)
            body = {
                "detail": f"The task changed since version {expected_version}; it is now at version {current.version}.",
                "current": TaskSerializer(current).data,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(_representation(task))

    @extend_schema(
        summary="Delete a task",
        responses={
            204: None,
            401: ERRORS[401],
            403: OpenApiResponse(description="Neither the task's creator nor a project owner"),
            404: ERRORS[404],
        },
    )
    def destroy(self, request: Request, pk: str) -> Response:
        task = self.get_object()
        require_can_delete(user=request.user, task=task)
        services.task_delete(actor=request.user, task=task)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The task's history, oldest first",
        responses={200: TaskActivitySerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def activity(self, request: Request, pk: str) -> Response:
        page = self.paginate_queryset(selectors.task_activity_list(task=self.get_object()))
        return self.get_paginated_response(TaskActivitySerializer(page, many=True).data)
