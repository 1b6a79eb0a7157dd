import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django's ValidationError (raised by models and services) as a 400 in DRF's shape, and a
    lost or unreachable database as a 503 the client may retry (the transaction did not commit)."""
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("database unavailable during %s: %s", context.get("view").__class__.__name__, exc)
        return Response(
            {"detail": "The database is unavailable right now; nothing was changed. Try again shortly."},
            status=503,
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(as_serializer_error(exc))
        else:
            exc = exceptions.ValidationError({"detail": " ".join(exc.messages)})
    return exception_handler(exc, context)
