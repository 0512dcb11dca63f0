"""Access logs that never show a secret (docs/exports.md#export-tokens).

Calendar apps can only send an export token in the URL (`…/export/?token=…`), and access logs
write URLs: gunicorn's `%(r)s` and `%(q)s`, the development server's request line. Both loggers
here write `token=REDACTED` instead, and gunicorn's atoms of the headers that carry tokens
(`Authorization`, `X-Export-Token`) are redacted too, whatever the log format asks for.
"""

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "REDACTED"
# `token=` as a query parameter, wherever it stands in a request line or a query string.
QUERY_TOKEN = re.compile(r"(?<![^?&\s])(token=)[^&\s#]*", re.IGNORECASE)
SECRET_HEADERS = ("authorization", "x-export-token")


def redacted(text: str) -> str:
    return QUERY_TOKEN.sub(rf"\g<1>{REDACTED}", text)


class RedactingLogger(Logger):
    """gunicorn's logger (`--logger-class oncall.access_log.RedactingLogger`) with the
    request line, the query, the raw URI and the token headers redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "q", "{raw_uri}e", "{query_string}e"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redacted(atoms[name])
        for header in SECRET_HEADERS:
            if f"{{{header}}}i" in atoms:
                atoms[f"{{{header}}}i"] = REDACTED
        return atoms


class RedactQueryFilter(logging.Filter):
    """For the development server's `django.server` lines: `"GET /…?token=… HTTP/1.1" 200`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redacted(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = redacted(record.msg)
        return True
