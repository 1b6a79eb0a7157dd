from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.projects import selectors, services
from apps.projects.models import Membership, Project
from apps.projects.permissions import require_owner, require_owner_or_self
from apps.projects.serializers import (
    MembershipInputSerializer,
    MembershipSerializer,
    ProjectInputSerializer,
    ProjectSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each field"),
    401: OpenApiResponse(description="No or bad credentials"),
    403: OpenApiResponse(description="Only a project owner may do this"),
    404: OpenApiResponse(description="No such project among the caller's"),
}


@extend_schema_view(
    list=extend_schema(summary="Projects the caller is a member of", responses={200: ProjectSerializer(many=True)}),
    retrieve=extend_schema(summary="One project", responses={200: ProjectSerializer, 404: ERRORS[404]}),
)
class ProjectViewSet(viewsets.GenericViewSet):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Project.objects.none()
        return selectors.project_list_for(user=self.request.user)

    def get_object(self):
        return selectors.project_get_for(user=self.request.user, project_id=self.kwargs["pk"])

    @staticmethod
    def _answer(project, code=status.HTTP_200_OK) -> Response:
        # From what the service returned: only owners create and change projects, so the caller's role is known.
        project.role = Membership.Role.OWNER
        return Response(ProjectSerializer(project).data, status=code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProjectSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ProjectSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a project; the caller becomes its owner",
        request=ProjectInputSerializer,
        responses={201: ProjectSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
    def create(self, request: Request) -> Response:
        serializer = ProjectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.project_create(actor=request.user, **serializer.validated_data)
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a project (owner only)",
        request=ProjectInputSerializer(partial=True),
        responses={200: ProjectSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        require_owner(user=request.user, project=project)
        serializer = ProjectInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        project = services.project_update(actor=request.user, project=project, data=dict(serializer.validated_data))
        return self._answer(project)

    @extend_schema(
        summary="Delete a project and its tasks (owner only)",
        responses={204: None, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        require_owner(user=request.user, project=project)
        services.project_delete(actor=request.user, project=project)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipListApi(GenericAPIView):
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # for schema generation; reads go through the selectors

    @extend_schema(
        summary="Members of a project",
        responses={200: MembershipSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = selectors.project_get_for(user=request.user, project_id=project_id)
        page = self.paginate_queryset(selectors.membership_list(project=project))
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a member (owner only)",
        request=MembershipInputSerializer,
        responses={201: MembershipSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = selectors.project_get_for(user=request.user, project_id=project_id)
        require_owner(user=request.user, project=project)
        serializer = MembershipInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = get_user_model().objects.filter(username=serializer.validated_data["username"], is_active=True).first()
        if user is None:
            raise ValidationError({"username": ["No user with that username."]})
        membership = services.membership_add(
            actor=request.user, project=project, user=user, role=serializer.validated_data["role"]
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipDetailApi(APIView):
    @extend_schema(
        summary="Remove a member (owner only; a member may leave; the last owner cannot)",
        responses={204: None, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def delete(self, request: Request, project_id: int, user_id: int) -> Response:
        project = selectors.project_get_for(user=request.user, project_id=project_id)
        membership = selectors.membership_get(project=project, user_id=user_id)
        require_owner_or_self(user=request.user, project=project, member_id=user_id)
        services.membership_remove(actor=request.user, project=project, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)
