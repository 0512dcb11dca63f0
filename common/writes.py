"""Writes that set only the fields a service names: its typed keyword arguments, described by a
`TypedDict`, are also the whitelist of what it assigns."""

from collections.abc import Mapping
from typing import Any


def field_names(fields_type: Any) -> frozenset[str]:
    """The keys of a `TypedDict`: the model fields a service may set."""
    return frozenset(fields_type.__required_keys__ | fields_type.__optional_keys__)


def assign(instance: object, fields: Mapping[str, object], allowed: frozenset[str]) -> None:
    """Set each of `fields` on `instance`. A name outside `allowed` is a caller's mistake (an
    API name such as `team_id` reaching a service), refused before anything is set."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"no write of a {type(instance).__name__} sets {', '.join(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)
