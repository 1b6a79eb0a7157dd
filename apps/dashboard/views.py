"""The browser dashboard: sign in, sign up, sign out, and the one page that runs the app.

Views stay thin. The page is a client of the public contract like any other (API.md): it reads and writes through
/api/ with the session cookie and the CSRF token, and listens on /ws/. Nothing here touches tasks or projects.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, TemplateView

from apps.accounts import limits, throttles
from apps.dashboard.forms import SignupForm
from apps.realtime.services import sockets_close
from apps.tasks.models import Task

LOGIN_URL = reverse_lazy("dashboard:login")
HOME_URL = reverse_lazy("dashboard:index")


class DashboardView(LoginRequiredMixin, TemplateView):
    # Explicit until settings.LOGIN_URL points at the dashboard's login page.
    login_url = LOGIN_URL
    template_name = "dashboard/index.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The board's columns and the labels come from the model's choices, so the page cannot drift from the API.
        context["statuses"] = Task.Status.choices
        context["priorities"] = Task.Priority.choices
        # The banner: until the address is proven, no notification emails are sent to it.
        context["email_unverified"] = not user.email_verified or bool(user.pending_email)
        # Read by main.js through json_script, which escapes it for the <script> element it lives in.
        context["page_config"] = {
            "user": {"id": user.pk, "username": user.get_username()},
            "loginUrl": str(LOGIN_URL),
            "csrfCookieName": settings.CSRF_COOKIE_NAME,
            "statuses": dict(Task.Status.choices),
            "priorities": dict(Task.Priority.choices),
        }
        return context


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    next_page = HOME_URL
    throttle_classes = throttles.FORM_LOGIN_THROTTLES

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = throttles.form_login_wait(request, self, self.throttle_classes)
        if seconds is not None:
            # An unbound form: binding it would run authenticate(), which is exactly what is being limited.
            form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
            context = self.get_context_data(form=form, throttled_for=seconds)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        throttles.login_succeeded(self.request, form.get_user().get_username())
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    # POST only (Django's default): a link or an image could otherwise sign a user out.
    next_page = LOGIN_URL

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user_id, session_key = request.user.pk, request.session.session_key
        response = super().post(request, *args, **kwargs)
        if user_id is not None:
            # This browser's live sockets were authenticated by the session that just ended.
            sockets_close(user_id=user_id, session_key=session_key)
        return response


class SignupView(FormView):
    """Sign-up through the accounts service. Whether the address was new or already had an account, the browser sees
    the same "check your inbox" page (a new account then signs in), so the page does not tell which addresses exist."""

    template_name = "registration/signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("dashboard:signup-done")
    throttle_classes = (limits.RegisterClientThrottle,)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect(HOME_URL)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = limits.throttled_for(request, self, self.throttle_classes)
        if wait:
            response = self.render_to_response(self.get_context_data(throttled_for=wait), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: SignupForm) -> HttpResponse:
        if not form.save():
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class SignupDoneView(TemplateView):
    template_name = "registration/signup_done.html"
