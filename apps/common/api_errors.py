"""Every answer under /api/ is JSON, including those Django gives before or outside DRF: an unknown URL, a body
over the size limit, a request Django refuses as suspicious, an unhandled error. Other paths keep Django's pages."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.deprecation import MiddlewareMixin
from django.views import defaults


def is_api_path(request) -> bool:
    return request.path.startswith("/api/")


class ApiBodyLimitMiddleware(MiddlewareMixin):
    """A declared body over DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 JSON before anything reads it; Django alone would
    raise RequestDataTooBig on the first read and answer an HTML 400."""

    def process_request(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None or not is_api_path(request):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header."}, status=400)
        if length > limit:
            return JsonResponse({"detail": f"Request body too large: at most {limit} bytes."}, status=413)
        return None


def bad_request(request, exception, template_name="400.html"):
    if is_api_path(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception, template_name="403.html"):
    if is_api_path(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception, template_name="404.html"):
    if is_api_path(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request, template_name="500.html"):
    if is_api_path(request):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return defaults.server_error(request)
