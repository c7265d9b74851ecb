"""Renderers: alert objects to message bodies, one module per format, all pure."""

from alerts.render.chat import render_discord, render_teams
from alerts.render.console import render_console
from alerts.render.slack import escape_slack, render_slack
from alerts.render.webhook import render_webhook

__all__ = [
    "escape_slack",
    "render_console",
    "render_discord",
    "render_slack",
    "render_teams",
    "render_webhook",
]
