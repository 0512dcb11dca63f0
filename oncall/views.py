"""Plain views outside the API: health check and JSON 404s."""

from django.db import connection
from django.http import JsonResponse


def health(request):
    """200 when the database answers; used by the Docker HEALTHCHECK."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)
