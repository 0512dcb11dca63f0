"""An exported event, as the export's content keeps it (docs/exports.md#events)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

UID_TIME_FORMAT = "%Y%m%d%H%M%S"


@dataclass(frozen=True, slots=True)
class ExportedEvent:
    uid: str
    summary: str
    start: datetime
    end: datetime
    priority: int
    # When the event stopped being produced; None while it is on the schedule.
    cancelled_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "summary": self.summary,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "priority": self.priority,
            "cancelled_at": self.cancelled_at.isoformat() if self.cancelled_at else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ExportedEvent":
        cancelled_at = data["cancelled_at"]
        return cls(
            uid=data["uid"],
            summary=data["summary"],
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            priority=data["priority"],
            cancelled_at=datetime.fromisoformat(cancelled_at) if cancelled_at else None,
        )


def uid_stamp(start: datetime) -> str:
    """The start as a UID writes it: YYYYMMDDHHMMSS in UTC."""
    return start.astimezone(UTC).strftime(UID_TIME_FORMAT)
