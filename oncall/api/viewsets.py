"""Base view classes: everything is scoped to the token's organization, writes go to services."""

from rest_framework import status, viewsets
from rest_framework.response import Response


class OrganizationScopedMixin:
    """Looks objects up by public id inside the caller's organization (foreign ids → 404)."""

    lookup_field = "public_id"
    lookup_url_kwarg = "pk"

    @property
    def organization(self):
        return self.request.user.organization

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = self.organization
        return context


class OrganizationReadOnlyViewSet(OrganizationScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class OrganizationViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Validates with `input_serializer_class`, writes through the service hooks, answers with
    `serializer_class`. PUT has partial semantics, as upstream's PUT does."""

    input_serializer_class = None

    def get_input_serializer_class(self, instance):
        return self.input_serializer_class

    def validated_input(self, instance=None, *, partial: bool = False) -> dict:
        serializer = self.get_input_serializer_class(instance)(
            instance,
            data=self.request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        created = self.create_object(self.validated_input())
        return Response(self.representation(created), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        updated = self.update_object(instance, self.validated_input(instance, partial=True))
        return Response(self.representation(updated))

    def destroy(self, request, *args, **kwargs):
        self.delete_object(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def representation(self, instance) -> dict:
        # Re-read through the view's queryset so that relations show what was just written.
        return self.get_serializer(self.get_queryset().get(pk=instance.pk)).data

    def create_object(self, data: dict):
        raise NotImplementedError

    def update_object(self, instance, data: dict):
        raise NotImplementedError

    def delete_object(self, instance) -> None:
        raise NotImplementedError
