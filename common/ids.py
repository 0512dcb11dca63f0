"""Public ids: a prefix letter plus 12 characters from upstream's alphabet (no O, no 0)."""

import secrets

from django.db import models

PUBLIC_ID_ALPHABET = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"
PUBLIC_ID_LENGTH = 12


def new_public_id(prefix: str) -> str:
    # 34**12 ≈ 2.3e18 values: a collision is not a practical concern, the unique index still guards.
    return prefix + "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class PublicIdField(models.CharField):
    """A unique, indexed public id filled in on first save."""

    def __init__(self, *args, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        if not getattr(model_instance, self.attname):
            setattr(model_instance, self.attname, new_public_id(self.prefix))
        return super().pre_save(model_instance, add)
