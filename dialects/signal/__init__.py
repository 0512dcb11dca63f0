"""Brainz Lab Signal's on-call schedules API at `/api/v1/on_call_schedules`
(docs/dialects.md#signal)."""
