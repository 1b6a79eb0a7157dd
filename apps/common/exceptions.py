from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django's ValidationError (raised by models and services) as a 400 in DRF's shape."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(as_serializer_error(exc))
        else:
            exc = exceptions.ValidationError({"detail": " ".join(exc.messages)})
    return exception_handler(exc, context)
