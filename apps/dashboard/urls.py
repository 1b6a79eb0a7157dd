from django.urls import path

from apps.dashboard import account_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("signup/done/", views.SignupDoneView.as_view(), name="signup-done"),
    path("account/", account_views.AccountView.as_view(), name="account"),
    path("account/email/", account_views.email_change, name="account-email"),
    path("account/password/", account_views.password_change, name="account-password"),
    path("account/preferences/", account_views.preferences_change, name="account-preferences"),
    path("account/logout-all/", account_views.sign_out_everywhere, name="account-logout-all"),
    path("account/verify/resend/", account_views.verification_resend, name="verify-email-resend"),
    path("account/verify/<str:token>/", account_views.verify_email, name="verify-email"),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("reset/done/", account_views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
]
