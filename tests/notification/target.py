"""A real local HTTP server to push to, and eager Celery, for the push delivery tests."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gms.celery import app as celery_app


@dataclass
class Received:
    path: str
    content_type: str
    body: str
    authorization: str | None = None


@dataclass
class Target:
    """Records every POST; answers the queued ``statuses`` in order, then 200."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def bodies(self) -> list[str]:
        return [request.body for request in self.received]


def _handler(target: Target) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode()
            target.received.append(
                Received(
                    self.path, self.headers["Content-Type"], body, self.headers["Authorization"]
                )
            )
            status = target.statuses.pop(0) if target.statuses else 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving() -> Iterator[Target]:
    """An HTTP server on a free local port, serving in a thread."""
    recorder = Target()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    recorder.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def eager_celery() -> Iterator[None]:
    """Run Celery tasks in-process: a retry runs at once instead of 5 s / 15 s later.

    Errors are not propagated: an eager retry would propagate as an error.
    """
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = saved
