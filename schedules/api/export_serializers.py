"""Bodies of the `…/export_token` routes of schedules and users."""

from rest_framework import serializers


class ExportTokenSerializer(serializers.Serializer):
    """`GET`: when the live token was made (its value is never shown again)."""

    created_at = serializers.DateTimeField(read_only=True)


class CreatedExportTokenSerializer(ExportTokenSerializer):
    """`POST`: the value, once, and the absolute URL a calendar client subscribes to.

    Context: `token` (the plain value) and `export_url` (the owner's export opened by it).
    """

    token = serializers.SerializerMethodField()
    export_url = serializers.SerializerMethodField()

    def get_token(self, instance) -> str:
        return self.context["token"]

    def get_export_url(self, instance) -> str:
        return self.context["export_url"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {key: data[key] for key in ("token", "created_at", "export_url")}
