"""Transports: the I/O edge. Each takes a session, a destination and an alert, returns an Outcome."""

from alerts.transports.console import send_console
from alerts.transports.slack import send_chat, send_slack
from alerts.transports.webhook import send_webhook

__all__ = ["send_chat", "send_console", "send_slack", "send_webhook"]
