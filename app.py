"""Start the sanctions desk Slack app (the same as `sanctions serve`).

Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on $PORT with
Slack's requests at /slack/events and a health check at /healthz.
"""

from bot.server import serve
from bot.settings import Settings, SettingsError

if __name__ == "__main__":
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        raise SystemExit(f"Cannot start the Slack app: {error}") from None
    serve(settings)
