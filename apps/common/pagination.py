from rest_framework.pagination import PageNumberPagination


class DefaultPagination(PageNumberPagination):
    """`{"results", "next", "previous"}` as API.md specifies, plus `count` for clients that show totals."""

    page_size_query_param = "page_size"
    max_page_size = 200
