"""Bodies of the `…/export_token` routes of schedules and users."""

from django.conf import settings
from rest_framework import serializers


class ExportTokenSerializer(serializers.Serializer):
    """`GET`: when the live token was made (its value is never shown again)."""

    created_at = serializers.DateTimeField(read_only=True)


class CreatedExportTokenSerializer(ExportTokenSerializer):
    """`POST`: the value, once, and the absolute URL a calendar client subscribes to.

    Context: `token` (the plain value) and `export_path` (the export route of the owner).
    """

    token = serializers.SerializerMethodField()
    export_url = serializers.SerializerMethodField()

    def get_token(self, instance) -> str:
        return self.context["token"]

    def get_export_url(self, instance) -> str:
        return f"{settings.BASE_URL}{self.context['export_path']}?token={self.context['token']}"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {key: data[key] for key in ("token", "created_at", "export_url")}
