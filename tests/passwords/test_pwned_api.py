"""The range client against a local server that speaks the Pwned Passwords protocol."""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from safetykit.errors import ExitStatus
from safetykit.passwords.pwned_api import PwnedApiClient, PwnedApiError, parse_range
from safetykit.passwords.pwned_file import sha1_hex

BREACHED = {"password": 9_545_824, "letmein": 1_234, "Rex2019!": 3}


@dataclass
class FakeService:
    """What the fake service saw, and how it should behave."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    status: int = 200
    redirect_to: str | None = None
    delay: float = 0.0
    body_override: bytes | None = None

    def answer(self, prefix: str) -> str:
        rng = random.Random(prefix)
        lines = {
            sha1_hex(pw)[5:]: count
            for pw, count in BREACHED.items()
            if sha1_hex(pw).startswith(prefix)
        }
        while len(lines) < 40:  # real suffixes that are not ours
            lines[f"{rng.getrandbits(140):035X}"] = rng.randint(1, 50)
        padding = {f"{rng.getrandbits(140):035X}": 0 for _ in range(60)}
        # Padding for a password we check: present with count 0 must still read as 0.
        padding[sha1_hex("correct horse battery staple")[5:]] = 0
        merged = {**padding, **lines}
        return "\r\n".join(f"{s}:{c}" for s, c in sorted(merged.items()))


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # the timeout test hangs up on purpose; no traceback for that


@pytest.fixture
def service() -> Iterator[tuple[FakeService, str]]:
    state = FakeService()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            if state.delay:
                time.sleep(state.delay)
            prefix = self.path.rsplit("/", 1)[-1].upper()
            if state.redirect_to is not None and "/moved/" not in self.path:
                self.send_response(302)
                self.send_header("Location", state.redirect_to + prefix)
                self.end_headers()
                return
            if state.status != 200:
                self.send_response(state.status)
                self.end_headers()
                return
            body = state.body_override or state.answer(prefix).encode("ascii")
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/range/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)


def test_counts_and_padding(service: tuple[FakeService, str]) -> None:
    _, url = service
    client = PwnedApiClient(url, timeout=5)
    for password, count in BREACHED.items():
        assert client.count_password(password) == count
    assert client.count_password("correct horse battery staple") == 0


def test_only_the_prefix_leaves_and_headers_are_sent(service: tuple[FakeService, str]) -> None:
    state, url = service
    client = PwnedApiClient(url, timeout=5)
    client.count_password("Rex2019!")
    full = sha1_hex("Rex2019!")
    ((path, headers),) = state.requests
    assert path == "/range/" + full[:5]
    assert full[5:] not in path
    assert headers["add-padding"] == "true"
    assert headers["user-agent"] == "pwned-range-check"  # says nothing about safetykit


def test_each_prefix_is_asked_once(service: tuple[FakeService, str]) -> None:
    state, url = service
    client = PwnedApiClient(url, timeout=5)
    for _ in range(3):
        client.count_password("password")
    assert len(state.requests) == 1


def test_count_takes_lowercase_sha1(service: tuple[FakeService, str]) -> None:
    _, url = service
    client = PwnedApiClient(url, timeout=5)
    assert (
        client.count(hashlib.sha1(b"password", usedforsecurity=False).hexdigest())
        == BREACHED["password"]
    )


def test_server_down_is_offline() -> None:
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PwnedApiClient(f"http://127.0.0.1:{port}/range/", timeout=2)
    with pytest.raises(PwnedApiError) as caught:
        client.count_password("password")
    assert caught.value.reason == "offline"
    assert caught.value.status == ExitStatus.NETWORK
    assert "password" not in str(caught.value)


def test_timeout(service: tuple[FakeService, str]) -> None:
    state, url = service
    state.delay = 1.5
    client = PwnedApiClient(url, timeout=0.3)
    with pytest.raises(PwnedApiError) as caught:
        client.count_password("password")
    assert caught.value.reason == "timeout"


@pytest.mark.parametrize("status", [404, 429, 500, 503])
def test_http_errors(service: tuple[FakeService, str], status: int) -> None:
    state, url = service
    state.status = status
    with pytest.raises(PwnedApiError) as caught:
        PwnedApiClient(url, timeout=5).count_password("password")
    assert caught.value.reason == "bad_response"


@pytest.mark.parametrize("body", [b"<html>captive portal</html>", b"\xff\xfe\x00", b"ABC:12"])
def test_unexpected_body(service: tuple[FakeService, str], body: bytes) -> None:
    state, url = service
    state.body_override = body
    with pytest.raises(PwnedApiError) as caught:
        PwnedApiClient(url, timeout=5).count_password("password")
    assert caught.value.reason == "bad_response"


def test_parse_range_skips_padding_and_blank_lines() -> None:
    suffix = "1E4C9B93F3F0682250B6CF8331B7EE68FD8"
    body = f"{suffix}:3\r\n{'A' * 35}:0\r\n\r\n{suffix.lower()}:2\n"
    assert parse_range(body) == {suffix: 5}


def test_bad_arguments() -> None:
    client = PwnedApiClient("http://127.0.0.1:9/range")
    assert client.base_url.endswith("/")
    with pytest.raises(ValueError):
        client.fetch_range("XYZ12")
    with pytest.raises(ValueError):
        client.count("abc")


def test_a_redirect_to_another_host_or_scheme_is_refused(
    service: tuple[FakeService, str],
) -> None:
    state, url = service
    client = PwnedApiClient(url, timeout=2)
    for elsewhere in ("http://localhost:1/range/", "https://127.0.0.1:1/range/"):
        state.redirect_to = elsewhere
        client._ranges.clear()
        with pytest.raises(PwnedApiError, match="somewhere else"):
            client.count(sha1_hex("anything at all"))


def test_a_redirect_on_the_same_host_is_followed(service: tuple[FakeService, str]) -> None:
    state, url = service
    state.redirect_to = url.replace("/range/", "/moved/")
    client = PwnedApiClient(url, timeout=2)
    assert client.count(sha1_hex("anything at all")) >= 0
    assert any("/moved/" in path for path, _ in state.requests)
