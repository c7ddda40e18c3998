"""Serving the app: gunicorn over HTTP, or Socket Mode when SLACK_APP_TOKEN is set.

HTTP is a small WSGI app: POST /slack/events goes to Bolt, GET /healthz says
whether the store answers. Each gunicorn worker builds the app and opens the
store (lazily) once, after the fork, so that no database connection is shared
between processes. The bot token is checked once, in the master, so workers
boot without calling Slack.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app_factory import build_app
from bot.delivery import Poster, poster_client
from bot.heap import tune_for_serving
from bot.lookup import new_error_id
from bot.scheduler import Scheduler, stop_all
from bot.settings import Settings
from bot.store_handle import StoreHandle
from storage.db.store import StoreUnavailable

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Answers take a few milliseconds of CPU: more threads only queue for the GIL,
# and under load they starve the one whose answer is due (benchmarks/load.py).
THREADS_PER_WORKER = 4
_REFUSED_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


def serve(settings: Settings | None = None) -> None:
    """Run until stopped: `python app.py` and `sanctions serve` both land here."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    problems = settings.problems()
    if problems:
        raise SystemExit("Cannot start the Slack app:\n  " + "\n  ".join(problems))
    identity = check_token(settings)
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handle = StoreHandle(settings.database_url)
        app = build_app(settings, handle, identity)
        start_scheduler(settings, handle)
        tune_for_serving()
        log.info("connecting to Slack in Socket Mode")
        SocketModeHandler(app, settings.slack_app_token).start()
        return
    log.info("serving Slack requests on port %d at %s", settings.port, SLACK_PATH)
    SanctionsServer(settings, identity).run()


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # per-worker migration chatter


def check_token(settings: Settings) -> dict[str, Any] | None:
    """auth.test once at start-up: a refused token stops us, an unreachable Slack does not."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.api_base_url, timeout=5)
    try:
        response = client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error")
        if code in _REFUSED_TOKEN:
            raise SystemExit(f"Slack refused SLACK_BOT_TOKEN ({code}); check the token.") from None
        log.warning("auth.test failed (%s); starting anyway", code)
        return None
    except Exception as error:  # network: Slack may be back before the first request
        log.warning(
            "could not reach Slack at %s to check the token (%s); starting anyway",
            settings.api_base_url,
            error,
        )
        return None
    log.info("Slack token belongs to %s in %s", response.get("user"), response.get("team"))
    return dict(response.data) if isinstance(response.data, dict) else None


def start_scheduler(settings: Settings, handle: StoreHandle) -> Scheduler:
    """This process's poster of new items and digests (claims make one per worker safe)."""
    return Scheduler(Poster(handle, poster_client(settings))).start()


def build_wsgi(
    settings: Settings, handle: StoreHandle | None = None, identity: dict[str, Any] | None = None
) -> WSGIApplication:
    """The WSGI app of one worker: Slack's endpoint and the health check."""
    handle = handle or StoreHandle(settings.database_url)
    slack = SlackRequestHandler(build_app(settings, handle, identity), path=SLACK_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return health(handle, start_response)
        stamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")).strip()
        posted_to_slack = environ.get("PATH_INFO") == SLACK_PATH and environ.get("REQUEST_METHOD") == "POST"
        if posted_to_slack and not stamp.isdigit():
            # No timestamp, or one that is no number: not from Slack. (slack_sdk's
            # verifier would raise on it, and the request would get a 500.)
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"invalid request\n"]
        try:
            return slack(environ, start_response)
        except Exception:  # Bolt could not read the body (a payload that is no JSON): not Slack's shape
            error_id = new_error_id()
            log.exception("unreadable request to %s [error id %s]", environ.get("PATH_INFO"), error_id)
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [f"unreadable request; error id {error_id}\n".encode()]

    return application


def health(handle: StoreHandle, start_response: Callable[..., Any]) -> list[bytes]:
    """200 when the store answers a query now, 503 when it does not."""
    try:
        handle.ping()
        status, body = "200 OK", b"ok\n"
    except StoreUnavailable as error:
        log.warning("health check: store unavailable (%s)", error)
        status, body = "503 Service Unavailable", b"store unavailable\n"
    except Exception:
        log.exception("health check failed")
        status, body = "503 Service Unavailable", b"health check failed\n"
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


class SanctionsServer(BaseApplication):  # type: ignore[misc]
    """gunicorn run from code, so that one entry point serves every way of starting."""

    def __init__(self, settings: Settings, identity: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self.identity = identity
        super().__init__()

    def load_config(self) -> None:
        # Workers default to $WEB_CONCURRENCY (gunicorn's own convention), else 1.
        options: dict[str, Any] = {
            "bind": f"0.0.0.0:{self.settings.port}",
            "worker_class": "gthread",
            "threads": THREADS_PER_WORKER,
            "timeout": 30,
            "graceful_timeout": 10,
            "keepalive": 5,  # load balancers and Slack reuse connections
            # A listening socket per worker: the kernel spreads connections over
            # them evenly, where one shared socket lets one worker take most.
            "reuse_port": True,
            "loglevel": self.settings.log_level.lower(),
            "proc_name": "sanctions-desk",
            # A worker stopping lets its scheduler finish the message it is posting.
            "worker_exit": _stop_schedulers,
        }
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25.1
            # One control socket per home directory would collide between instances.
            options["control_socket_disable"] = True
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApplication:
        """Runs in each worker after the fork: its app, its store handle, its scheduler."""
        handle = StoreHandle(self.settings.database_url)
        start_scheduler(self.settings, handle)
        application = build_wsgi(self.settings, handle, identity=self.identity)
        tune_for_serving()
        return application


def _stop_schedulers(server: Any, worker: Any) -> None:
    stop_all()
