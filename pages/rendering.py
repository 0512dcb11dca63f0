"""What every page's template gets: the signed-in user and the section of the navigation."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, context: dict, *, section: str = "", status: int = 200
) -> HttpResponse:
    page_user = getattr(request, "page_user", None)
    return render(
        request,
        template,
        {"page_user": page_user, "section": section, **context},
        status=status,
    )
