"""Comments, labels and watchers over REST (API.md, "Comments, labels, watchers"). Thin: validate, check who may
act, call a service, answer from what it returned."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.serializers import UserSerializer
from apps.collaboration import permissions, selectors, services
from apps.collaboration.models import Comment, Label
from apps.collaboration.serializers import (
    CommentInputSerializer,
    CommentSerializer,
    LabelInputSerializer,
    LabelSerializer,
)
from apps.projects.selectors import project_get_for
from apps.tasks.selectors import task_get_for

ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each field"),
    401: OpenApiResponse(description="No or bad credentials"),
    403: OpenApiResponse(description="A member who may not do this"),
    404: OpenApiResponse(description="Not among the caller's projects"),
}


class TaskCommentsApi(GenericAPIView):
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # for schema generation; reads go through the selectors

    @extend_schema(
        summary="The task's comments, oldest first",
        responses={200: CommentSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    def get(self, request: Request, task_id: int) -> Response:
        task = task_get_for(user=request.user, task_id=task_id)
        page = self.paginate_queryset(selectors.comment_list(task=task))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(
        summary="Comment on the task",
        description="`@username` of a project member mentions them: they are notified (`mentioned`) and watch the "
        "task. Other `@words` are text.",
        request=CommentInputSerializer,
        responses={201: CommentSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
    )
    def post(self, request: Request, task_id: int) -> Response:
        task = task_get_for(user=request.user, task_id=task_id)
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(actor=request.user, task=task, body=serializer.validated_data["body"])
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailApi(GenericAPIView):
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()

    @extend_schema(
        summary="Edit a comment (its author only)",
        request=CommentInputSerializer,
        responses={200: CommentSerializer, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def patch(self, request: Request, pk: int) -> Response:
        comment = selectors.comment_get_for(user=request.user, comment_id=pk)
        permissions.require_comment_author(user=request.user, comment=comment)
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_update(actor=request.user, comment=comment, body=serializer.validated_data["body"])
        return Response(CommentSerializer(comment).data)

    @extend_schema(
        summary="Delete a comment (its author or a project owner)",
        responses={204: None, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def delete(self, request: Request, pk: int) -> Response:
        comment = selectors.comment_get_for(user=request.user, comment_id=pk)
        permissions.require_can_delete_comment(user=request.user, comment=comment)
        services.comment_delete(actor=request.user, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectLabelsApi(GenericAPIView):
    serializer_class = LabelSerializer
    queryset = Label.objects.none()

    @extend_schema(
        summary="The project's labels",
        responses={200: LabelSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_get_for(user=request.user, project_id=project_id)
        page = self.paginate_queryset(selectors.label_list(project_id=project.pk))
        return self.get_paginated_response(LabelSerializer(page, many=True).data)

    @extend_schema(
        summary="Create a label (any member)",
        request=LabelInputSerializer,
        responses={201: LabelSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_get_for(user=request.user, project_id=project_id)
        serializer = LabelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        label = services.label_create(actor=request.user, project=project, **serializer.validated_data)
        return Response(LabelSerializer(label).data, status=status.HTTP_201_CREATED)


class LabelDetailApi(GenericAPIView):
    serializer_class = LabelSerializer
    queryset = Label.objects.none()

    @extend_schema(
        summary="Rename or recolour a label (any member)",
        request=LabelInputSerializer(partial=True),
        responses={200: LabelSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
    )
    def patch(self, request: Request, pk: int) -> Response:
        label = selectors.label_get_for(user=request.user, label_id=pk)
        serializer = LabelInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        label = services.label_update(actor=request.user, label=label, **serializer.validated_data)
        return Response(LabelSerializer(label).data)

    @extend_schema(
        summary="Delete a label (owners); it is taken off its tasks",
        responses={204: None, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def delete(self, request: Request, pk: int) -> Response:
        label = selectors.label_get_for(user=request.user, label_id=pk)
        permissions.require_can_delete_label(user=request.user, label=label)
        services.label_delete(actor=request.user, label=label)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskWatchersApi(GenericAPIView):
    serializer_class = UserSerializer
    queryset = Comment.objects.none()

    @extend_schema(
        summary="Users watching the task",
        responses={200: UserSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    def get(self, request: Request, task_id: int) -> Response:
        task = task_get_for(user=request.user, task_id=task_id)
        page = self.paginate_queryset(selectors.watcher_list(task=task))
        return self.get_paginated_response(UserSerializer(page, many=True).data)


class TaskWatcherMeApi(GenericAPIView):
    serializer_class = None
    queryset = Comment.objects.none()

    @extend_schema(summary="Watch the task", request=None, responses={204: None, 401: ERRORS[401], 404: ERRORS[404]})
    def put(self, request: Request, task_id: int) -> Response:
        services.watcher_add(user=request.user, task=task_get_for(user=request.user, task_id=task_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Stop watching the task", request=None, responses={204: None, 401: ERRORS[401], 404: ERRORS[404]}
    )
    def delete(self, request: Request, task_id: int) -> Response:
        services.watcher_remove(user=request.user, task=task_get_for(user=request.user, task_id=task_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
