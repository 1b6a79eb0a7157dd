from django.urls import path

from apps.accounts import apis

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="register"),
    path("auth/token/", apis.TokenObtainApi.as_view(), name="token-obtain"),
    path("auth/token/refresh/", apis.TokenRefreshApi.as_view(), name="token-refresh"),
    path("auth/logout/", apis.LogoutApi.as_view(), name="logout"),
    path("auth/password-reset/", apis.PasswordResetApi.as_view(), name="password-reset"),
    path("me/", apis.MeApi.as_view(), name="me"),
    path("me/password/", apis.PasswordChangeApi.as_view(), name="me-password"),
    path("me/logout-all/", apis.LogoutAllApi.as_view(), name="me-logout-all"),
    path("me/export/", apis.ExportApi.as_view(), name="me-export"),
]
