"""Exceptions raised by the engine."""


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class CalendarParseError(EngineError):
    """An iCalendar text could not be parsed or expanded.

    The service catches it, records the error and lets that calendar contribute no events.
    """


class NotACalendar(CalendarParseError):
    """The text is not an iCalendar at all (as opposed to one whose content cannot be read)."""
