"""Upstream's page envelope: page/perpage, absolute links from BASE_URL, last page at most."""

import math

from django.conf import settings
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100


def positive_int(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 1 else default


class UpstreamPagination(BasePagination):
    page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        # perpage above 100 is capped, and the cap is what the body reports
        # (docs/differences.md#page-size-cap).
        self.used_page_size = min(
            positive_int(request.query_params.get("perpage"), self.page_size), MAX_PAGE_SIZE
        )
        self.count = queryset.count()
        self.total_pages = max(1, math.ceil(self.count / self.used_page_size))
        self.page_number = min(positive_int(request.query_params.get("page"), 1), self.total_pages)
        self.request = request
        offset = (self.page_number - 1) * self.used_page_size
        return list(queryset[offset : offset + self.used_page_size])

    def page_link(self, page_number: int) -> str:
        # Upstream builds its links with DRF's helpers: the query is re-encoded in key order
        # with `page` replaced, and the link to page 1 carries no `page` at all.
        url = f"{settings.BASE_URL}{self.request.get_full_path()}"
        if page_number == 1:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", page_number)

    def get_paginated_response(self, data):
        has_next = self.page_number < self.total_pages
        has_previous = self.page_number > 1
        return Response(
            {
                "count": self.count,
                "next": self.page_link(self.page_number + 1) if has_next else None,
                "previous": self.page_link(self.page_number - 1) if has_previous else None,
                "results": data,
                "current_page_number": self.page_number,
                "page_size": self.used_page_size,
                "total_pages": self.total_pages,
            }
        )


class UserPagination(UpstreamPagination):
    page_size = 100
