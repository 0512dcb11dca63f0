"""A wall-clock deadline for one outbound HTTP exchange.

A socket timeout bounds each read only: a server that drips its status line, its headers, its
chunk-size lines or gzip data that decodes to nothing never leaves a read waiting long enough
to trip it. When the deadline passes, a timer shuts down every socket the exchange opened;
that wakes any read blocked on them, whatever it was reading. The caller then sees
`expired` and reports a timeout (a shut-down socket may look like the end of the body).

A name lookup has no socket to shut down (getaddrinfo asks the system's resolver, which no
timeout of ours reaches): `run_bounded` runs such a call in a thread of its own and stops
waiting for it when the time left runs out.
"""

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, wait
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_current = threading.local()


class DeadlinePassed(Exception):
    """A call bounded by `run_bounded` did not end in time. Not an OSError, so that urllib3 and
    requests let it through unwrapped when it comes from inside a connection."""


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._handles: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._ends_at = time.monotonic() + seconds

    def time_left(self) -> float:
        return max(0.0, self._ends_at - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        # A duplicate of the descriptor: TLS wraps the socket and detaches the original object,
        # but shutting down any descriptor of a connection ends the connection.
        handle = sock.dup()
        with self._lock:
            self._handles.append(handle)
            if self.expired:
                _shut_down(handle)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for handle in self._handles:
                _shut_down(handle)

    def _start(self) -> None:
        self._timer.start()

    def _close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for handle in self._handles:
                handle.close()
            self._handles.clear()


def _shut_down(handle: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        handle.shutdown(socket.SHUT_RDWR)


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Watch the sockets this thread opens (through `watch_socket`) until the block ends, and
    shut them down after `seconds`."""
    watchdog = Deadline(seconds)
    outer = getattr(_current, "deadline", None)
    _current.deadline = watchdog
    watchdog._start()
    try:
        yield watchdog
    finally:
        _current.deadline = outer
        watchdog._close()


def watch_socket(sock: socket.socket) -> None:
    """Put a newly connected socket under the current exchange's deadline, if any."""
    watchdog = getattr(_current, "deadline", None)
    if watchdog is not None:
        watchdog.watch(sock)


def time_left(default: float) -> float:
    """The seconds left to the current exchange's deadline, or `default` outside any exchange."""
    watchdog = getattr(_current, "deadline", None)
    return default if watchdog is None else watchdog.time_left()


def run_bounded(call: Callable[[], T], seconds: float, what: str) -> T:
    """`call()`, waited for at most `seconds` of wall-clock time; DeadlinePassed after that.
    The call goes on in its daemon thread until it ends on its own (a resolver gives up after
    its own timeouts): nothing waits for it any more."""
    outcome: Future[T] = Future()

    def run() -> None:
        try:
            outcome.set_result(call())
        except BaseException as exc:  # handed to the waiting thread below
            outcome.set_exception(exc)

    threading.Thread(target=run, name="bounded-call", daemon=True).start()
    _done, late = wait([outcome], timeout=seconds)
    if late:
        raise DeadlinePassed(f"{what} took longer than {seconds:.3g} s")
    return outcome.result()
