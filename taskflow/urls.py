from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.admin import throttled_admin_login
from apps.common.converters import DbIdConverter
from apps.common.health import healthz
from apps.common.views_metrics import metrics
from apps.notifications.views import unsubscribe

register_converter(DbIdConverter, "id")

urlpatterns = [
    path("admin/login/", throttled_admin_login, name="admin-login-throttled"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its start-up code as a script file (no inline script); its page keeps an inline <style>
    # and Swagger UI sets style attributes, so only this page allows inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="swagger-ui",
    ),
    path("api/", include("apps.accounts.urls")),
    path("api/", include("apps.projects.urls")),
    path("api/", include("apps.tasks.urls")),
    path("api/", include("apps.collaboration.urls")),
    path("api/", include("apps.notifications.urls")),
    path("api/assist/", include("apps.assist.urls")),
    path("notifications/unsubscribe/<str:token>/", unsubscribe, name="notification-unsubscribe"),
    path("", include("apps.dashboard.urls")),
]

# Answers under /api/ are JSON even when Django, not DRF, makes them (unknown URL, suspicious request, crash).
handler400 = "apps.common.api_errors.bad_request"
handler403 = "apps.common.api_errors.permission_denied"
handler404 = "apps.common.api_errors.page_not_found"
handler500 = "apps.common.api_errors.server_error"
