"""Checking passwords against Have I Been Pwned's range API (k-anonymity).

Only the first five hex digits of a password's SHA-1 are sent. The service answers with every
known hash suffix in that range and its count; the comparison happens here. Requests ask for
padding (``Add-Padding: true``), so the answer's size does not hint at the prefix either; padding
lines have a count of 0 and are skipped.

This module talks to the network (its name says so) and nothing else: no files, no printing. Any
failure becomes a :class:`PwnedApiError` with a calm sentence and a reason code.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from safetykit.errors import NetworkError
from safetykit.i18n import _
from safetykit.passwords.pwned_file import sha1_hex

DEFAULT_BASE_URL = "https://api.pwnedpasswords.com/range/"
DEFAULT_TIMEOUT = 10.0
USER_AGENT = "pwned-range-check"
"""Neutral on purpose: the service (and anyone who can read its logs) learns nothing about which
tool asked, only that something checked a range."""
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
"""A real answer is about 30 KB (about 1,000 lines with padding); more means something is off."""

_PREFIX = re.compile(r"^[0-9A-F]{5}$")
_SUFFIX_LINE = re.compile(r"^([0-9A-Fa-f]{35}):(\d+)$")


class PwnedApiError(NetworkError):
    """The online check could not be done. ``reason``: offline, timeout, bad_response
    or bad_address."""

    def __init__(self, reason: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason


def parse_range(body: str) -> dict[str, int]:
    """Suffix (35 uppercase hex digits) to count, from a range answer; padding (count 0) dropped.

    Raises :class:`PwnedApiError` (``bad_response``) for anything that is not the expected format.
    """
    counts: dict[str, int] = {}
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _SUFFIX_LINE.match(line)
        if match is None:
            raise PwnedApiError(
                "bad_response",
                _("The breach-check service sent an answer safetykit does not understand."),
                hint=_("Nothing was checked online. Try again later, or use the offline file."),
            )
        seen = int(match.group(2))
        if seen > 0:
            suffix = match.group(1).upper()
            counts[suffix] = counts.get(suffix, 0) + seen
    return counts


class PwnedApiClient:
    """Asks the range API about SHA-1 hashes, remembering each prefix's answer for this run.

    ``base_url`` is the range endpoint ending in ``/`` (tests point it at a local server).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        check_url(self.base_url)
        self.timeout = timeout
        self.user_agent = user_agent
        self._ranges: dict[str, dict[str, int]] = {}

    def __repr__(self) -> str:
        return f"<PwnedApiClient {self.base_url!r}>"

    def fetch_range(self, prefix: str) -> dict[str, int]:
        """The suffix counts for one five-hex-digit prefix (from memory if asked before)."""
        prefix = prefix.upper()
        if not _PREFIX.match(prefix):
            raise ValueError("expected five hexadecimal digits")
        cached = self._ranges.get(prefix)
        if cached is None:
            cached = parse_range(self._get(prefix))
            self._ranges[prefix] = cached
        return cached

    def count(self, sha1: str) -> int:
        """How many times the password with this SHA-1 (40 hex digits) appears in breaches."""
        if len(sha1) != 40:
            raise ValueError("expected 40 hexadecimal digits")
        return self.fetch_range(sha1[:5]).get(sha1[5:].upper(), 0)

    def count_password(self, password: str) -> int:
        """Shortcut for ``count(sha1_hex(password))``; only the hash prefix leaves the machine."""
        return self.count(sha1_hex(password))

    def _get(self, prefix: str) -> str:
        request = urllib.request.Request(  # noqa: S310 - the scheme is the configured base URL
            self.base_url + prefix,
            headers={
                "Add-Padding": "true",
                "User-Agent": self.user_agent,
                "Accept": "text/plain",
            },
            method="GET",
        )
        opener = urllib.request.build_opener(_SameOriginRedirects())
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status: int = getattr(response, "status", 200)
                body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise _http_error(exc.code) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _timeout() from None
            raise PwnedApiError(
                "offline",
                _("safetykit could not reach the breach-check service."),
                hint=_(
                    "You may be offline. Nothing was sent; try again later or use the offline "
                    "file."
                ),
            ) from None
        except TimeoutError:
            raise _timeout() from None
        except (OSError, ValueError):
            raise PwnedApiError(
                "offline",
                _("The connection to the breach-check service broke off."),
                hint=_("Try again later, or use the offline file."),
            ) from None
        if status != 200:
            raise _http_error(status)
        if len(body) > MAX_RESPONSE_BYTES:
            raise PwnedApiError(
                "bad_response",
                _("The breach-check service sent far more than expected."),
                hint=_("Nothing was checked online. Try again later, or use the offline file."),
            )
        try:
            return body.decode("ascii")
        except UnicodeDecodeError:
            raise PwnedApiError(
                "bad_response",
                _("The breach-check service sent an answer safetykit does not understand."),
                hint=_("Nothing was checked online. Try again later, or use the offline file."),
            ) from None


def check_url(url: str) -> None:
    """Refuse an address the password fingerprints must not go to: anything but ``https://``
    (plain ``http://`` only to this computer itself, for a local mirror or a test)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS:
        return
    raise PwnedApiError(
        "bad_address",
        _("The breach-check address must start with https://, so nothing was sent."),
        hint=_("Check SAFETYKIT_PWNED_API_URL, or leave it unset for the usual service."),
    )


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme and host; anything else is refused."""

    def redirect_request(  # noqa: PLR0917 - urllib's own signature
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        old = urllib.parse.urlsplit(req.full_url)
        new = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if (new.scheme, new.hostname, new.port) != (old.scheme, old.hostname, old.port):
            raise PwnedApiError(
                "bad_response",
                _(
                    "The breach-check service tried to send the check somewhere else, so it was "
                    "stopped."
                ),
                hint=_("Nothing more was sent. Try again later, or use the offline file."),
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _timeout() -> PwnedApiError:
    return PwnedApiError(
        "timeout",
        _("The breach-check service did not answer in time."),
        hint=_("The connection may be slow. Try again later, or use the offline file."),
    )


def _http_error(status: int) -> PwnedApiError:
    if status == 429:
        return PwnedApiError(
            "bad_response",
            _("The breach-check service asked safetykit to slow down."),
            hint=_("Wait a minute, then try again."),
        )
    return PwnedApiError(
        "bad_response",
        _("The breach-check service answered with an error (HTTP {status}).").format(
            status=status
        ),
        hint=_("Nothing was checked online. Try again later, or use the offline file."),
    )
