from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.projects import apis

router = SimpleRouter()
router.register("projects", apis.ProjectViewSet, basename="project")

urlpatterns = [
    *router.urls,
    path("projects/<id:project_id>/members/", apis.MembershipListApi.as_view(), name="project-members"),
    path(
        "projects/<id:project_id>/members/<id:user_id>/",
        apis.MembershipDetailApi.as_view(),
        name="project-member-detail",
    ),
]
