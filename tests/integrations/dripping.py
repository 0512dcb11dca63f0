"""A local HTTP server that answers one byte at a time, each byte well within any socket
timeout, in whichever part of the answer a test names; it stops after GIVE_UP seconds (a hang
guard for a client that never gives up) and records whether the client left before that."""

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

GIVE_UP = 30.0
PAUSE = 0.05

CHUNKED = b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nTransfer-Encoding: chunked\r\n\r\n"
# A gzip header, then empty stored blocks: bytes that decode to nothing, forever.
GZIP_HEADER = gzip.compress(b"")[:10]
EMPTY_STORED_BLOCK = b"\x00\x00\x00\xff\xff"


def _status_line() -> Iterator[bytes]:
    yield b"HTTP/1.1 200 "
    while True:
        yield b"O"


def _headers() -> Iterator[bytes]:
    yield b"HTTP/1.1 200 OK\r\n"
    while True:
        yield b"X-Slow: a\r\n"


def _chunk_size_lines() -> Iterator[bytes]:
    yield CHUNKED
    while True:
        yield b"0"  # leading zeros of a chunk size that never ends


def _gzip_of_nothing() -> Iterator[bytes]:
    yield (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Encoding: gzip\r\n"
        b"Content-Length: 100000000\r\n\r\n"
    )
    yield GZIP_HEADER
    while True:
        yield EMPTY_STORED_BLOCK


def _body() -> Iterator[bytes]:
    # No Content-Length: the body ends when the connection does.
    yield b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n\r\n"
    yield b"BEGIN:VCALENDAR\r\n"
    while True:
        yield b"X"


def _silence() -> Iterator[bytes]:
    while True:
        yield b""


DRIPS = {
    "status line": _status_line,
    "headers": _headers,
    "chunk-size lines": _chunk_size_lines,
    "gzip of nothing": _gzip_of_nothing,
    "body": _body,
    "silence": _silence,
}


@dataclass
class DrippingServer:
    drip: str
    port: int = 0
    client_left: threading.Event = field(default_factory=threading.Event)
    requests: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed.ics"


def _serve_one(server: DrippingServer, connection: socket.socket) -> None:
    connection.settimeout(PAUSE)
    given_up_at = time.monotonic() + GIVE_UP
    try:
        with contextlib.suppress(TimeoutError):
            connection.recv(65536)  # the request
        server.requests += 1
        for piece in DRIPS[server.drip]():
            if time.monotonic() > given_up_at:
                return
            if piece:
                connection.sendall(piece)
            try:
                if connection.recv(1) == b"":
                    server.client_left.set()  # the client closed or shut down its socket
                    return
            except TimeoutError:
                pass
    except OSError:
        server.client_left.set()
    finally:
        connection.close()


@contextmanager
def dripping_server(drip: str) -> Iterator[DrippingServer]:
    """Serve `drip` on 127.0.0.1 (a fresh port) until the block ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(PAUSE)
    server = DrippingServer(drip=drip, port=listener.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        workers = []
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            worker = threading.Thread(target=_serve_one, args=(server, connection), daemon=True)
            worker.start()
            workers.append(worker)
        for worker in workers:
            worker.join()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        stop.set()
        acceptor.join()
        listener.close()
