"""The lowest layer: helpers every app may use, importing only Django (docs/architecture.md)."""
