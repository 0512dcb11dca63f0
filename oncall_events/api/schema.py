"""OpenAPI of the on-call events' routes. Documentation only: nothing here validates."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema

from apikit.schema import ID_PARAMETER, DetailError, error_responses, paginated
from oncall_events.api.serializers import (
    CreatedWebhookSerializer,
    DeliverySerializer,
    SlackConnectInput,
    SlackConnectionSerializer,
    WebhookInput,
    WebhookSerializer,
)

WITH_ID: dict[str, Any] = {"parameters": [ID_PARAMETER]}

WEBHOOK_VIEWS = {
    "list": extend_schema(
        responses={
            200: paginated(WebhookSerializer(many=True), "PaginatedScheduleWebhookList"),
            **error_responses(),
        }
    ),
    "create": extend_schema(
        request=WebhookInput,
        responses={201: CreatedWebhookSerializer, **error_responses(not_found=False)},
    ),
    "retrieve": extend_schema(
        responses={200: WebhookSerializer, **error_responses(body=False)}, **WITH_ID
    ),
    "update": extend_schema(
        request=WebhookInput, responses={200: WebhookSerializer, **error_responses()}, **WITH_ID
    ),
    "partial_update": extend_schema(
        request=WebhookInput, responses={200: WebhookSerializer, **error_responses()}, **WITH_ID
    ),
    "destroy": extend_schema(responses={204: None, **error_responses(body=False)}, **WITH_ID),
    "deliveries": extend_schema(
        description="The webhook's deliveries, newest first.",
        responses={
            200: paginated(DeliverySerializer(many=True), "PaginatedDeliveryList"),
            **error_responses(),
        },
        **WITH_ID,
    ),
    "test": extend_schema(
        description="Deliver a `webhook.test` event now, once, and answer how it went.",
        request=None,
        responses={200: DeliverySerializer, **error_responses(body=False)},
        **WITH_ID,
    ),
}

NOT_CONNECTED = OpenApiResponse(DetailError, description="Slack isn't connected.")
SLACK_CONNECTION_VIEW = {
    "get": extend_schema(
        responses={200: SlackConnectionSerializer, 404: NOT_CONNECTED, **error_responses()}
    ),
    "put": extend_schema(
        request=SlackConnectInput,
        responses={200: SlackConnectionSerializer, **error_responses(not_found=False)},
    ),
    "post": extend_schema(
        request=SlackConnectInput,
        responses={200: SlackConnectionSerializer, **error_responses(not_found=False)},
    ),
    "delete": extend_schema(responses={204: None, **error_responses(not_found=False)}),
}
