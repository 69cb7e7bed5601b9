"""Logging for the server: plain lines by default, one JSON object per line with `LOG_FORMAT=json` (for a log
collector). Audit events (data/audit.py) carry their event name and fields either way."""

from __future__ import annotations

import datetime as dt
import json
import logging

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "event"?, …fields, "exception"?} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "event", None):
            out["event"] = record.event
            out.update({k: v for k, v in record.fields.items() if k not in out})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain line, with an audit event's name and fields after the message."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        if getattr(record, "event", None):
            fields = " ".join(f"{k}={v!r}" for k, v in record.fields.items())
            line += f" [{record.event}{' ' + fields if fields else ''}]"
        return line


def configure_logging(fmt: str = "text") -> None:
    """Log INFO and up to standard error, as JSON lines when `fmt` is "json"; once per process (the first app
    built decides, as logging.basicConfig does)."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter(TEXT_FORMAT))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # a line per plugin on every command
