"""Webhooks: JSON deliveries signed with HMAC-SHA256, posted through `integrations.http`
(its SSRF guard and time budget) (docs/oncall-events.md#webhooks).

The signature header carries the timestamp and the signature of `<timestamp>.<body>`, so a
receiver can check both that the body is ours and that it is fresh.
"""

import hashlib
import hmac

from integrations.deadline import DeadlinePassed
from integrations.http import HttpFetchError, UrlNotAllowed, http_post
from integrations.net_guard import NameNotResolved, check_url

__all__ = [
    "SIGNATURE_HEADER",
    "DeliveryFailed",
    "WebhookUrlRefused",
    "check_webhook_url",
    "deliver",
    "signature",
]

SIGNATURE_HEADER = "X-OnCall-Signature"
EVENT_HEADER = "X-OnCall-Event"
DELIVERY_HEADER = "X-OnCall-Delivery"


class WebhookUrlRefused(Exception):
    """The URL may not receive deliveries; the message says why."""


def check_webhook_url(url: str) -> None:
    """The SSRF guard of iCal downloads, applied when a webhook is saved (and again by every
    delivery, since a name may resolve elsewhere later)."""
    try:
        check_url(url)
    except UrlNotAllowed as exc:
        raise WebhookUrlRefused(str(exc)) from exc
    except NameNotResolved as exc:
        raise WebhookUrlRefused(f"URL not allowed: {exc} does not resolve") from exc
    except DeadlinePassed as exc:
        raise WebhookUrlRefused(f"URL not allowed: {exc}") from exc


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<timestamp>." + body, keyed by the secret>`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(
    url: str, *, secret: str, event_type: str, delivery_id: str, body: bytes, timestamp: int
) -> int:
    """POST one delivery; returns the receiver's 2xx status. Raises `DeliveryFailed`."""
    headers = {
        "Content-Type": "application/json",
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: delivery_id,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
    try:
        return http_post(url, body=body, headers=headers)
    except (HttpFetchError, UrlNotAllowed) as exc:
        raise DeliveryFailed(str(exc)) from exc


class DeliveryFailed(Exception):
    """The receiver did not take the delivery (refused URL, network error, timeout, non-2xx)."""
