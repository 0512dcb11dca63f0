"""Signing in and out, and where `/` leads (docs/pages.md#signing-in)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pages import sessions, sign_in_throttle
from pages.rendering import render_page

WRONG_CREDENTIALS = "Wrong username or password."


def home(request: HttpRequest) -> HttpResponse:
    if sessions.session_user(request) is None:
        return redirect("pages:sign_in")
    return redirect("pages:schedules")


def safe_next(request: HttpRequest, value: str | None) -> str:
    """Where to go after signing in: a path of this service, else the schedules."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("pages:schedules")


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def sign_in(request: HttpRequest) -> HttpResponse:
    next_path = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method != "POST":
        if sessions.session_user(request) is not None:
            return redirect(next_path)
        return sign_in_form(request, next_path)
    username = request.POST.get("username", "")[:150]
    password = request.POST.get("password", "")[:128]
    address = client_address(request)
    refusal = sign_in_throttle.refusal(username, address)
    if refusal is not None:
        response = sign_in_form(
            request,
            next_path,
            username=username,
            error=(f"Too many failed sign-ins. Try again in {refusal.retry_after} seconds."),
            status=429,
        )
        response["Retry-After"] = str(refusal.retry_after)
        return response
    user = sessions.authenticate(username, password)
    if user is None or not sessions.may_read(user):
        sign_in_throttle.record_failure(username, address)
        return sign_in_form(request, next_path, username=username, error=WRONG_CREDENTIALS)
    sign_in_throttle.forget_failures(username, address)
    sessions.sign_in(request, user)
    return redirect(next_path)


def sign_in_form(
    request: HttpRequest,
    next_path: str,
    *,
    username: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"next": next_path, "username": username, "error": error}
    return render_page(request, "pages/sign_in.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    sessions.sign_out(request)
    return redirect("pages:sign_in")
