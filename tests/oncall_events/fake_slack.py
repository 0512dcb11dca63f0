"""A local HTTP server that speaks the Slack Web API methods the service calls, for `slack_sdk`
pointed at it (SLACK_API_URL). It records each call and answers as a test scripts it: a rate
limit with Retry-After, `channel_not_found`, a revoked token.

Run it in a thread (`FakeSlack().start()`) or as a process (`python -m
tests.oncall_events.fake_slack PORT LOGFILE`, for tests that kill workers: every call is appended
to LOGFILE as a JSON line)."""

import json
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

TEAM = {"team_id": "T0TEAM", "team": "Acme", "user_id": "U0BOT", "bot_id": "B0BOT"}
GOOD_TOKEN = "xoxb-good"
USER_GROUPS = {"S0ONCALL"}
CHANNELS = {"C0HANDOFF"}

# (status, headers, body) for one call, or None to answer as Slack normally would.
Answer = tuple[int, dict[str, str], dict]
Script = Callable[[str, dict], Answer | None]


def slack_answer(method: str, token: str, arguments: dict) -> Answer:
    """What Slack answers when nothing is scripted."""
    if token != GOOD_TOKEN:
        return 200, {}, {"ok": False, "error": "invalid_auth"}
    if method == "auth.test":
        return 200, {}, {"ok": True, "url": "https://acme.slack.com/", **TEAM}
    if method.startswith("usergroups."):
        if arguments.get("usergroup") not in USER_GROUPS:
            return 200, {}, {"ok": False, "error": "no_such_subgroup"}
        if method == "usergroups.users.update" and not arguments.get("users"):
            return 200, {}, {"ok": False, "error": "invalid_users"}
        return 200, {}, {"ok": True, "usergroup": {"id": arguments["usergroup"]}}
    if method == "chat.postMessage":
        if arguments.get("channel") not in CHANNELS:
            return 200, {}, {"ok": False, "error": "channel_not_found"}
        return 200, {}, {"ok": True, "channel": arguments["channel"], "ts": "1700000000.000100"}
    return 200, {}, {"ok": False, "error": "unknown_method"}


class FakeSlack:
    def __init__(self, log_file: Path | None = None) -> None:
        self.calls: list[dict] = []
        self.script: Script = lambda method, arguments: None
        self.log_file = log_file
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    arguments = json.loads(raw or "{}")
                else:
                    arguments = dict(parse_qsl(raw))
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                method = self.path.strip("/").rsplit("/", 1)[-1]
                status, headers, body = fake.answer(method, token, arguments)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def answer(self, method: str, token: str, arguments: dict) -> Answer:
        call = {"method": method, "token": token, "arguments": arguments}
        scripted = self.script(method, arguments)
        status, headers, body = scripted or slack_answer(method, token, arguments)
        call["ok"] = bool(body.get("ok"))
        with self.lock:
            self.calls.append(call)
            if self.log_file is not None:
                with self.log_file.open("a") as log:
                    log.write(json.dumps(call) + "\n")
        return status, headers, body

    def start(self) -> "FakeSlack":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def methods(self) -> list[str]:
        return [call["method"] for call in self.calls if call["method"] != "auth.test"]


def serve(port_file: str, log_file: str) -> None:
    fake = FakeSlack(Path(log_file))
    Path(port_file).write_text(fake.url)
    fake.server.serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
