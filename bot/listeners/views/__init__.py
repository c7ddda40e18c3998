"""Modal submissions. None yet: the 'Add sanctions item' form arrives with the
channel issue, and its view_submission listener is registered here."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Nothing to wire until a modal has a submit button."""
