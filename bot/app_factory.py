"""One Bolt app from settings and a store: the same for HTTP, Socket Mode and tests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.listeners import register_listeners
from bot.settings import Settings
from bot.store_handle import StoreHandle
from storage.db.store import Store

log = logging.getLogger(__name__)

WEB_API_TIMEOUT_SECONDS = 10


def web_client(settings: Settings) -> WebClient:
    """A Web API client for SLACK_API_URL that retries what Slack asks us to retry.

    Rate limits wait for Retry-After; 5xx answers and dropped connections are
    tried twice more. Only posting after the ack goes through it, so a retry
    never delays an answer the journalist is waiting for.
    """
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.api_base_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(settings: Settings, store: Store | StoreHandle, identity: dict[str, Any] | None = None) -> App:
    """The Bolt app with every listener registered.

    HTTP mode processes before responding, so the answer travels in the ack
    itself (DESIGN.md §4: Bolt otherwise polls for the ack every 10 ms).
    `identity` is an auth.test result obtained once at start-up; without one the
    app still works, it only cannot tell its own bot user apart. No Slack call is
    made per request or per worker boot.
    """
    handle = store if isinstance(store, StoreHandle) else StoreHandle.of(store)
    bolt_log = logging.getLogger("bot.bolt")
    bolt_log.addFilter(_IGNORED_TOKEN_WARNINGS)
    app = App(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        authorize=_static_authorize(settings, identity or {}),
        process_before_response=not settings.socket_mode,
        request_verification_enabled=not settings.socket_mode,
        logger=bolt_log,
    )

    app.use(_ProvideStore(handle, settings))
    register_listeners(app)
    return app


class _ProvideStore(Middleware):
    """Listeners find the store and settings in their context, as Bolt injects it.

    A Middleware class, not a function: Bolt builds every argument it could
    inject for a function middleware, a cost paid on each request.
    """

    def __init__(self, handle: StoreHandle, settings: Settings) -> None:
        self.handle = handle
        self.settings = settings

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]  # noqa: A002
    ) -> BoltResponse | None:
        req.context["store"] = self.handle
        req.context["settings"] = self.settings
        return next()


class _IgnoredTokenWarnings(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN from the environment goes unused: it is, on
    purpose, since the client and authorize below carry it. Silence only that."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("As you gave `client`") or "`token` (or SLACK_BOT_TOKEN" in message)


_IGNORED_TOKEN_WARNINGS = _IgnoredTokenWarnings()


def _static_authorize(settings: Settings, identity: dict[str, Any]) -> Callable[..., AuthorizeResult]:
    """One workspace, one bot token: authorising a request is a constant."""

    def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=settings.slack_bot_token,
            bot_id=identity.get("bot_id"),
            bot_user_id=identity.get("user_id"),
        )

    return authorize
