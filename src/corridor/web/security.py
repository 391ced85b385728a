"""Defences of a server reachable from a browser: the Host check and security headers.

:class:`HostCheck` answers 400 to a request whose ``Host`` header names a host the server was
not told it serves, which stops DNS rebinding (a web page on another site making the browser
talk to a server on ``localhost`` under the page's own host name). :class:`SecurityHeaders`
adds ``X-Content-Type-Options``, ``X-Frame-Options``, ``Referrer-Policy`` and a
``Content-Security-Policy`` to every answer.
"""

from __future__ import annotations

import ipaddress
import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["LOOPBACK_HOSTS", "HostCheck", "SecurityHeaders", "host_name", "is_loopback"]

#: Host names always served: the loopback interface.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

#: Policy of the map page and the API: only the server's own files, OpenStreetMap tiles when
#: the user turns them on, inline styles (set by the map library), no framing.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: Policy of the interactive API docs (``/docs``, ``/redoc``), which load their scripts
#: from a CDN and start them with an inline script.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https:; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)
_DOCS_PATHS = ("/docs", "/redoc")


def host_name(header: str) -> str:
    """Return the host of a ``Host`` header, lower case, without port or IPv6 brackets.

    Examples
    --------
    >>> host_name("LocalHost:8000"), host_name("[::1]:8000"), host_name("127.0.0.1")
    ('localhost', '::1', '127.0.0.1')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_loopback(address: str) -> bool:
    """Whether a client address is on the loopback interface (``127.0.0.0/8``, ``::1``).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("192.0.2.1")
    (True, True, False)
    """
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class HostCheck:
    """ASGI middleware answering 400 to requests for a host the server does not serve.

    Parameters
    ----------
    app
        The app to protect.
    allowed
        Host names served besides :data:`LOOPBACK_HOSTS`; ``*`` allows any host.
    """

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...] = ()) -> None:
        self.app = app
        self.any = "*" in allowed
        self.allowed = {host_name(h) for h in (*LOOPBACK_HOSTS, *allowed) if h != "*"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 400 when its ``Host`` is not served."""
        if scope["type"] not in ("http", "websocket") or self.any:
            await self.app(scope, receive, send)
            return
        host = host_name(Headers(scope=scope).get("host", ""))
        if host in self.allowed:
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {
                "detail": [
                    {
                        "loc": ["header", "Host"],
                        "msg": f"This server does not serve the host {host!r}; list it in "
                        "CORRIDOR_ALLOWED_HOSTS to allow it.",
                        "type": "host_not_allowed",
                    }
                ]
            }
        ).encode()
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware adding security headers to every HTTP answer.

    Parameters
    ----------
    app
        The app whose answers get the headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and add the headers to its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        policy = DOCS_POLICY if path.startswith(_DOCS_PATHS) else PAGE_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                for key, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"content-security-policy", policy.encode()),
                ):
                    if key not in present:
                        headers.append((key, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
