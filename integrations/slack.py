"""Slack: the one interface to a workspace's Web API, through the official `slack_sdk` client.

Every call runs outside any database transaction, with a wall-clock deadline (SLACK_TIMEOUT):
the client's socket timeout bounds each read, and the caller stops waiting when the deadline
passes whatever the server does.
Nothing here retries or sleeps: a failure comes back as `SlackFailure`, saying whether to try
again (and when), and the caller keeps its own schedule (docs/oncall-events.md#slack).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from common.transactions import refuse_inside_transaction
from integrations.deadline import DeadlinePassed, run_bounded

# Errors that mean the token no longer opens the workspace: reconnecting is the only remedy.
REVOKED = frozenset(
    {"token_revoked", "invalid_auth", "account_inactive", "not_authed", "token_expired"}
)
# Errors worth another try (Slack's own trouble); any other error is final for the request.
TRANSIENT = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable"})
# When Slack says "ratelimited" without saying for how long.
DEFAULT_RETRY_AFTER = 60.0


class Outcome(Enum):
    RETRY = auto()  # try again later (rate limit, Slack's or the network's trouble, deadline)
    REVOKED = auto()  # the token is dead: nothing works until the workspace is connected again
    FINAL = auto()  # this request will never work as it is (e.g. channel_not_found)


class SlackFailure(Exception):
    """A call that did not succeed: Slack's error code (or what went wrong on the way), what
    to do about it, and for a rate limit how many seconds Slack asked us to wait."""

    def __init__(self, code: str, outcome: Outcome, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.outcome = outcome
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class SlackIdentity:
    """Who a bot token speaks as (`auth.test`)."""

    team_id: str
    team_name: str
    bot_user_id: str


def failure_of(error: SlackApiError) -> SlackFailure:
    response = error.response
    code = str((response.data or {}).get("error") or f"http_{response.status_code}")
    if response.status_code == 429 or code == "ratelimited":
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        seconds = float(retry_after) if retry_after else DEFAULT_RETRY_AFTER
        return SlackFailure("ratelimited", Outcome.RETRY, retry_after=seconds)
    if code in REVOKED:
        return SlackFailure(code, Outcome.REVOKED)
    if code in TRANSIENT or response.status_code >= 500:
        return SlackFailure(code, Outcome.RETRY)
    return SlackFailure(code, Outcome.FINAL)


class SlackWorkspace:
    """The Web API methods the service uses, for one bot token."""

    def __init__(self, token: str) -> None:
        self.timeout = settings.SLACK_TIMEOUT
        # No retry handlers: the caller decides when to try again.
        self.client = WebClient(
            token=token,
            base_url=settings.SLACK_API_URL,
            timeout=max(1, int(self.timeout)),
            retry_handlers=[],
        )

    def call(self, method: str, **arguments: Any) -> dict:
        refuse_inside_transaction("a Slack call")
        try:
            response = run_bounded(
                lambda: self.client.api_call(method, json=arguments), self.timeout, "a Slack call"
            )
        except DeadlinePassed as error:
            # Its thread ends on its own, when the client's socket times out.
            raise SlackFailure("deadline_exceeded", Outcome.RETRY) from error
        except SlackApiError as error:
            raise failure_of(error) from error
        except (SlackClientError, OSError) as error:
            raise SlackFailure(f"network: {error}", Outcome.RETRY) from error
        return dict(response.data)  # type: ignore[arg-type]

    def identity(self) -> SlackIdentity:
        data = self.call("auth.test")
        return SlackIdentity(
            team_id=str(data.get("team_id", "")),
            team_name=str(data.get("team", "")),
            bot_user_id=str(data.get("user_id", "")),
        )

    def set_user_group(self, group_id: str, user_ids: Sequence[str], *, enable: bool) -> None:
        """Make the group hold exactly `user_ids`. Slack refuses to empty a group: an empty set
        disables it instead, and `enable` turns it back on before it is filled again."""
        if not user_ids:
            self.call("usergroups.disable", usergroup=group_id)
            return
        if enable:
            self.call("usergroups.enable", usergroup=group_id)
        self.call("usergroups.users.update", usergroup=group_id, users=",".join(user_ids))

    def post_message(self, channel_id: str, text: str, blocks: list[dict] | None = None) -> str:
        """Post to a channel; returns the message's timestamp (its id in the channel)."""
        arguments: dict[str, Any] = {"channel": channel_id, "text": text}
        if blocks:
            arguments["blocks"] = blocks
        return str(self.call("chat.postMessage", **arguments).get("ts", ""))
