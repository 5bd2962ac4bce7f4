"""A live server for tests that need a real socket: uvicorn on 127.0.0.1, a free port, in a
thread that stops when the block ends."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI


@contextlib.contextmanager
def serving(api: FastAPI) -> Iterator[str]:
    """Serve ``api`` (its lifespan on) and give its base URL, ``http://127.0.0.1:<port>``."""
    config = uvicorn.Config(api, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the live server did not start"
        assert thread.is_alive(), "the live server stopped while starting"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
