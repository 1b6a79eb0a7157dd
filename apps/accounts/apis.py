from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from ninja_jwt.exceptions import TokenError
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import services, throttles
from apps.accounts.serializers import (
    RefreshSerializer,
    RegisterSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    UserSerializer,
)


class PublicAuthApi(APIView):
    """Endpoints reached without a token. Refusals still answer 401 with a Bearer challenge, never 403."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def _pair_response(pair: services.TokenPair) -> Response:
    return Response({"access": pair.access, "refresh": pair.refresh})


class RegisterApi(PublicAuthApi):
    @extend_schema(
        request=RegisterSerializer,
        responses={201: RegisterSerializer, 400: OpenApiResponse(description="Weak password, taken name, bad field")},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        return Response(RegisterSerializer(user).data, status=status.HTTP_201_CREATED)


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
    @extend_schema(responses={200: UserSerializer}, tags=["auth"])
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)
