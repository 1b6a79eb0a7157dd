from django.urls import path

from apps.notifications import apis

urlpatterns = [
    path("notifications/", apis.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/unread-count/", apis.UnreadCountApi.as_view(), name="notification-unread-count"),
    path("notifications/read-all/", apis.MarkAllReadApi.as_view(), name="notification-read-all"),
    path("notifications/preferences/", apis.PreferencesApi.as_view(), name="notification-preferences"),
    path("notifications/<id:notification_id>/read/", apis.MarkReadApi.as_view(), name="notification-read"),
]
