"""Instatus's on-call schedules API at `/on-call-schedules` and `/v1/on-call-schedules`
(docs/dialects.md#instatus)."""
