"""`/api/v1/schedule_webhooks/` and `/api/v1/slack_connection/` (admins only)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.slack import SlackFailure
from oncall_events import selectors, services
from oncall_events.api.schema import SLACK_CONNECTION_VIEW, WEBHOOK_VIEWS
from oncall_events.api.serializers import (
    DeliverySerializer,
    SlackConnectInput,
    SlackConnectionSerializer,
    WebhookInput,
    WebhookSerializer,
)
from oncall_events.models import ScheduleWebhook, SlackConnection
from users.api.viewsets import OrganizationViewSet
from users.models import Role

NOT_CONNECTED = {"detail": "Slack isn't connected to this workspace"}


@extend_schema_view(**WEBHOOK_VIEWS)
class ScheduleWebhookViewSet(OrganizationViewSet):
    """Webhooks that receive signed events when who is on call changes (and gap warnings)."""

    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = ScheduleWebhook.objects.none()
    serializer_class = WebhookSerializer
    input_serializer_class = WebhookInput
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get_queryset(self):
        return selectors.webhook_list(organization=self.organization)

    def before_write(self, instance) -> None:
        # The URL's address check resolves its host: before the write's lock (docs/architecture).
        if "url" in self.request.data:
            self.validated_input(instance, partial=instance is not None)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["checked_urls"] = self.__dict__.setdefault("checked_urls", {})
        return context

    def create(self, request, *args, **kwargs):
        self.before_write(None)

        def create():
            return services.webhook_create(organization=self.organization, **self.validated_input())

        webhook, secret = self.write(create)
        body = {**self.representation(webhook), "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    def update_object(self, instance, data: dict):
        return services.webhook_update(webhook=instance, **data)

    def delete_object(self, instance) -> None:
        services.webhook_delete(webhook=instance)

    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(selectors.delivery_list(webhook=self.get_object()))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        delivery = services.webhook_send_test(webhook=self.get_object(), now=timezone.now())
        return Response(DeliverySerializer(delivery).data)


def connection_body(connection: SlackConnection) -> dict:
    errors = selectors.slack_errors(organization=connection.organization)
    return SlackConnectionSerializer(connection, context={"errors": errors}).data


@extend_schema_view(**SLACK_CONNECTION_VIEW)
class SlackConnectionView(APIView):
    """The organization's Slack workspace: connect it with a bot token (kept encrypted, never
    shown again), see what Slack said last, disconnect it."""

    read_role = Role.ADMIN
    write_role = Role.ADMIN

    @property
    def organization(self):
        return self.request.user.organization

    def get(self, request):
        connection = SlackConnection.objects.filter(organization=self.organization).first()
        if connection is None:
            return Response(NOT_CONNECTED, status=status.HTTP_404_NOT_FOUND)
        return Response(connection_body(connection))

    def put(self, request):
        serializer = SlackConnectInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = serializer.validated_data["bot_token"]
        try:
            identity = services.slack_identity(token=token)
        except SlackFailure as failure:
            raise serializers.ValidationError(
                {"bot_token": [f"Slack did not accept the token: {failure.code}"]}
            ) from failure
        connection = services.slack_connect(
            organization=self.organization, token=token, identity=identity, now=timezone.now()
        )
        return Response(connection_body(connection))

    post = put

    def delete(self, request):
        services.slack_disconnect(organization=self.organization)
        return Response(status=status.HTTP_204_NO_CONTENT)
