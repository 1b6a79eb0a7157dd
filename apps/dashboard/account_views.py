"""The account pages of the dashboard: /account/ (email, password, email preferences, sign out everywhere), email
verification links, and Django's password reset flow. Every change goes through apps.accounts.services (or the
notifications service for preferences), exactly as the API's /api/me/ endpoints do."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from apps.accounts import limits, services
from apps.dashboard.forms import EmailChangeForm, EmailPreferencesForm
from apps.notifications.selectors import email_choices_for
from apps.notifications.services import preferences_update

ACCOUNT_URL = reverse_lazy("dashboard:account")
LOGIN_URL = reverse_lazy("dashboard:login")


@method_decorator(login_required(login_url=LOGIN_URL), name="dispatch")
class AccountView(TemplateView):
    template_name = "dashboard/account.html"

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **_context(self.request)}


def _context(request: HttpRequest, **forms) -> dict:
    user = request.user
    context = {
        "email_form": EmailChangeForm(initial={"email": user.email}),
        "password_form": PasswordChangeForm(user),
        "preferences_form": EmailPreferencesForm(choices=email_choices_for(user_id=user.pk)),
    }
    context.update(forms)
    return context


@require_POST
@login_required(login_url=LOGIN_URL)
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST)
    if not form.is_valid():
        return render(request, AccountView.template_name, _context(request, email_form=form), status=400)
    user = services.user_email_change(user=request.user, email=form.cleaned_data["email"])
    if user.pending_email:
        messages.info(request, f"We sent a link to {user.pending_email}. Your address changes once you follow it.")
    else:
        messages.info(request, "Your email address is unchanged.")
    return redirect(ACCOUNT_URL)


@require_POST
@login_required(login_url=LOGIN_URL)
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, AccountView.template_name, _context(request, password_form=form), status=400)
    services.password_set(user=request.user, password=form.cleaned_data["new_password1"])
    update_session_auth_hash(request, request.user)  # this browser stays signed in; every other session ends
    messages.success(request, "Your password was changed. Other devices have been signed out.")
    return redirect(ACCOUNT_URL)


@require_POST
@login_required(login_url=LOGIN_URL)
def preferences_change(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST, choices=email_choices_for(user_id=request.user.pk))
    if not form.is_valid():
        return render(request, AccountView.template_name, _context(request, preferences_form=form), status=400)
    preferences_update(user=request.user, email=form.choices())
    messages.success(request, "Your email preferences were saved.")
    return redirect(ACCOUNT_URL)


@require_POST
@login_required(login_url=LOGIN_URL)
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, "You were signed out everywhere, here too.")
    return redirect(LOGIN_URL)


@require_POST
@login_required(login_url=LOGIN_URL)
def verification_resend(request: HttpRequest) -> HttpResponse:
    wait = limits.throttled_for(request, None, [limits.PasswordResetClientThrottle])
    if wait:
        messages.error(request, f"Too many emails asked for. Try again in {wait} seconds.")
    else:
        services.email_verification_resend(user=request.user)
        messages.info(request, "A new confirmation link is on its way.")
    return redirect(ACCOUNT_URL if request.POST.get("next") == "account" else reverse_lazy("dashboard:index"))


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a verification email. Following it proves the address reaches its owner; a second use is refused."""
    try:
        user = services.email_verify(token=token)
    except services.VerificationRefused as exc:
        return render(request, "registration/verify_email.html", {"error": str(exc)}, status=400)
    return render(request, "registration/verify_email.html", {"verified_email": user.email})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, sending through the accounts service (in the background, with the API's limits)."""

    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("dashboard:password-reset-done")
    throttle_classes = (limits.PasswordResetClientThrottle, limits.PasswordResetAddressThrottle)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = limits.throttled_for(request, self, self.throttle_classes)
        if wait:
            context = self.get_context_data(form=self.get_form_class()(), throttled_for=wait)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        services.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("dashboard:password-reset-complete")

    def form_valid(self, form) -> HttpResponse:
        # The service instead of form.save(): the same password change as everywhere (tokens revoked, sockets closed).
        services.password_set(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
