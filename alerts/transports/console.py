"""The console destination: print one rendered alert to stdout (for demos and local runs)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from alerts.model import Alert, Outcome
from alerts.render.console import render_console


def send_console(alert: Alert, stream: TextIO | None = None) -> Outcome:
    """Write and flush at once, so alerts show up even when stdout is a pipe."""
    started = time.monotonic()
    out = stream if stream is not None else sys.stdout
    out.write(render_console(alert) + "\n")
    out.flush()
    return Outcome("delivered", duration_ms=int((time.monotonic() - started) * 1000))
