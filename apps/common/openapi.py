"""A drf-spectacular postprocessing hook: the answers every operation can give, documented once here."""

UNAUTHENTICATED = {"description": "No or bad credentials"}
NOT_FOUND = {"description": "No such object among the caller's, or a page beyond the last"}
BAD_REQUEST = {"description": "Invalid input (including a body that is not JSON); the body names the problem"}
PAGE_PARAMETER = "page"


def document_common_answers(result: dict, generator, request, public) -> dict:
    """Add the answers DRF gives any operation of its kind, where a view did not document them itself:

    - 401 where authentication is required (every operation not open to anonymous callers);
    - 400 where there is a request body (it may not be JSON at all) or a `page_size` (1 to 200);
    - 404 where the path names an object, or the list is paginated (`?page=` past the end or below 1).
    """
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            security = operation.get("security", [])
            if {} not in security:
                responses.setdefault("401", UNAUTHENTICATED)
            paginated = any(parameter.get("name") == PAGE_PARAMETER for parameter in operation.get("parameters", []))
            if "requestBody" in operation or paginated:
                responses.setdefault("400", BAD_REQUEST)
            if "{" in path or paginated:
                responses.setdefault("404", NOT_FOUND)
    return result
