from django.contrib.auth import authenticate, update_session_auth_hash
from drf_spectacular.utils import OpenApiResponse, extend_schema
from ninja_jwt.exceptions import TokenError
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import selectors, services, throttles
from apps.accounts.limits import PasswordResetAddressThrottle, PasswordResetClientThrottle, RegisterClientThrottle
from apps.accounts.serializers import (
    DetailSerializer,
    MeSerializer,
    PasswordChangeSerializer,
    PasswordConfirmSerializer,
    PasswordResetSerializer,
    RefreshSerializer,
    RegisterSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
)


class PublicAuthApi(APIView):
    """Endpoints reached without a token. Refusals still answer 401 with a Bearer challenge, never 403."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def _pair_response(pair: services.TokenPair) -> Response:
    return Response({"access": pair.access, "refresh": pair.refresh})


REGISTER_ANSWER = (
    "Thanks. If this address is new, your account is ready and a link to confirm the address is on its way; if it "
    "already has an account, its owner has been emailed."
)
RESET_ANSWER = "If an account uses this address, a link to reset its password is on its way."


class RegisterApi(PublicAuthApi):
    throttle_classes = [RegisterClientThrottle]

    @extend_schema(
        request=RegisterSerializer,
        responses={
            202: DetailSerializer,
            400: OpenApiResponse(description="Weak password, taken name, bad field"),
            429: OpenApiResponse(description="Too many sign-ups from this client"),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_register(**serializer.validated_data)
        # The same answer whether the address was new or taken: it must not tell which addresses have accounts.
        return Response({"detail": REGISTER_ANSWER}, status=status.HTTP_202_ACCEPTED)


class PasswordResetApi(PublicAuthApi):
    throttle_classes = [PasswordResetClientThrottle, PasswordResetAddressThrottle]

    @extend_schema(
        request=PasswordResetSerializer,
        responses={
            202: DetailSerializer,
            400: OpenApiResponse(description="Not an email address"),
            429: OpenApiResponse(description="Too many requests from this client or for this address"),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(email=serializer.validated_data["email"])
        return Response({"detail": RESET_ANSWER}, status=status.HTTP_202_ACCEPTED)


class TokenObtainApi(PublicAuthApi):
    throttle_classes = list(throttles.LOGIN_THROTTLES)

    def check_throttles(self, request: Request) -> None:
        # Oversized or malformed fields are refused before the limits read the username: nothing unbounded reaches
        # the cache, and such a request never reaches authenticate() either.
        if request.method == "POST":
            TokenObtainSerializer(data=request.data).is_valid(raise_exception=True)
        super().check_throttles(request)

    @extend_schema(
        request=TokenObtainSerializer,
        responses={
            200: TokenPairSerializer,
            400: OpenApiResponse(description="Missing field"),
            401: OpenApiResponse(description="Wrong credentials"),
            429: OpenApiResponse(description="Too many attempts"),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request._request, **serializer.validated_data)
        if user is None:
            raise exceptions.AuthenticationFailed("No active account found with the given credentials.")
        throttles.login_succeeded(request, serializer.validated_data["username"])
        return _pair_response(services.token_pair_issue(user=user))


class TokenRefreshApi(PublicAuthApi):
    @extend_schema(
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, 401: OpenApiResponse(description="Refresh token invalid or revoked")},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            pair = services.token_refresh(raw_refresh=serializer.validated_data["refresh"])
        except TokenError as exc:
            raise exceptions.AuthenticationFailed(f"Refresh token refused: {exc}") from exc
        return _pair_response(pair)


class LogoutApi(PublicAuthApi):
    @extend_schema(
        request=RefreshSerializer,
        responses={204: None, 401: OpenApiResponse(description="Refresh token invalid")},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.token_revoke(raw_refresh=serializer.validated_data["refresh"])
        except TokenError as exc:
            raise exceptions.AuthenticationFailed(f"Refresh token refused: {exc}") from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    @extend_schema(responses={200: MeSerializer}, tags=["account"])
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer}, tags=["account"])
    def patch(self, request: Request) -> Response:
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = request.user
        if "email" in serializer.validated_data:
            user = services.user_email_change(user=user, email=serializer.validated_data["email"])
        return Response(MeSerializer(user).data)

    @extend_schema(
        request=PasswordConfirmSerializer,
        responses={204: None, 400: OpenApiResponse(description="Wrong or missing password")},
        tags=["account"],
    )
    def delete(self, request: Request) -> Response:
        serializer = PasswordConfirmSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        services.user_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeApi(APIView):
    @extend_schema(
        request=PasswordChangeSerializer,
        responses={204: None, 400: OpenApiResponse(description="Wrong current password or weak new one")},
        tags=["account"],
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        services.password_set(user=request.user, password=serializer.validated_data["new_password"])
        if isinstance(request.successful_authenticator, SessionAuthentication):
            # A dashboard session that changed the password stays signed in; every other session ends.
            update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllApi(APIView):
    @extend_schema(request=None, responses={204: None}, tags=["account"])
    def post(self, request: Request) -> Response:
        services.user_sign_out_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportApi(APIView):
    @extend_schema(
        responses={200: OpenApiResponse(description="Everything about the caller, as JSON")}, tags=["account"]
    )
    def get(self, request: Request) -> Response:
        response = Response(selectors.user_export(user=request.user))
        response["Content-Disposition"] = f'attachment; filename="taskflow-{request.user.pk}.json"'
        return response
