"""Real services for the tests: find them, or fail in CI / skip on a laptop, naming the service."""

import os
import socket
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def service_unavailable(name: str, reason: str) -> None:
    """In CI a missing service fails the test; elsewhere it skips with the service's name."""
    message = f"{name} is not available ({reason})"
    if IN_CI:
        pytest.fail(f"{message}; CI must provide it.", pytrace=False)
    pytest.skip(f"{message}; start it to run this test.")


def tcp_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
