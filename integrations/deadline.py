"""A wall-clock deadline for one outbound HTTP exchange.

A socket timeout bounds each read only: a server that drips its status line, its headers, its
chunk-size lines or gzip data that decodes to nothing never leaves a read waiting long enough
to trip it. When the deadline passes, a timer shuts down every socket the exchange opened;
that wakes any read blocked on them, whatever it was reading. The caller then sees
`expired` and reports a timeout (a shut-down socket may look like the end of the body).
"""

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_current = threading.local()


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._handles: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

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
