from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.common.health import healthz
from apps.common.views_metrics import metrics
from apps.notifications.views import unsubscribe

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/", include("apps.accounts.urls")),
    path("api/", include("apps.projects.urls")),
    path("api/", include("apps.tasks.urls")),
    path("api/", include("apps.notifications.urls")),
    path("api/assist/", include("apps.assist.urls")),
    path("notifications/unsubscribe/<str:token>/", unsubscribe, name="notification-unsubscribe"),
    path("", include("apps.dashboard.urls")),
]
