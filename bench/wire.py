"""A lean HTTP/1.1 client on asyncio streams for the load runs: many clients on one thread,
each on a keep-alive connection, at a small CPU cost (the client shares the cores the server
runs on)."""

import asyncio
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

# Clients reconnect after this many requests, so that their connections keep spreading over
# gunicorn's workers (as in measure.py's throughput run).
REQUESTS_PER_CONNECTION = 100


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes

    def json(self):
        return json.loads(self.body)


class ConnectionLost(Exception):
    """The connection closed or broke before a whole answer came."""


class Client:
    """One client: requests one at a time with the API token, on a kept connection."""

    def __init__(self, base_url: str, token: str, timeout: float = 120.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.netloc = parts.netloc
        self.token = token
        self.timeout = timeout
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.sent = 0

    async def request(self, method: str, path: str, body: dict | None = None) -> Answer:
        """Raises ConnectionLost when no answer came (the request may or may not have run)."""
        try:
            return await asyncio.wait_for(self.exchange(method, path, body), self.timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            self.close()
            raise ConnectionLost(f"{method} {path}") from None

    async def exchange(self, method: str, path: str, body: dict | None) -> Answer:
        if self.streams is not None and self.streams[0].at_eof():
            # The server closed the kept connection (idle past its keep-alive time).
            self.close()
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        payload = b"" if body is None else json.dumps(body).encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.netloc}\r\nAuthorization: {self.token}\r\n"
            f"Accept: application/json\r\nContent-Length: {len(payload)}\r\n"
            + ("Content-Type: application/json\r\n" if body is not None else "")
            + "\r\n"
        )
        writer.write(head.encode() + payload)
        await writer.drain()
        status, headers = parse_head(await reader.readuntil(b"\r\n\r\n"))
        answer = Answer(status, await reader.readexactly(int(headers.get("content-length", 0))))
        self.sent += 1
        if headers.get("connection") == "close" or self.sent % REQUESTS_PER_CONNECTION == 0:
            self.close()
        return answer

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    status_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    return int(status_line.split(" ", 2)[1]), headers
