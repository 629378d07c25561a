"""The web layer: a Starlette app over a :class:`~belarus_data.annotate.session.Session`, and its server.

Routes: ``/`` (the page), ``/static/…`` (its script and style), ``/api/state`` (what the page shows),
``/api/actors?q=`` (actors by any name), ``POST /api/check`` (the live check) and ``POST /api/save``.
Every request passes :class:`~belarus_data.annotate.security.Guard` first.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from belarus_data.annotate.security import Guard
from belarus_data.annotate.session import Session
from belarus_data.commands.scaffold import ScaffoldError
from belarus_data.storage.atomic import CannotWrite

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADERS = {
    # Only this server's own script and style; never framed; the token never leaves in a Referer.
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
STATIC = {"annotate.js": "text/javascript; charset=utf-8", "annotate.css": "text/css; charset=utf-8"}
MAX_BODY = 1_000_000  # a form is a few kilobytes


def _static(name: str) -> str:
    return (resources.files("belarus_data.annotate") / "static" / name).read_text(encoding="utf-8")


def guarded(app: ASGIApp, guard: Guard) -> ASGIApp:
    """``app`` behind ``guard``, with the security headers on every response."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refused = guard.refusal(scope["method"], headers, scope.get("query_string", b"").decode("latin-1"))
        extra = [(k.encode(), v.encode()) for k, v in HEADERS.items()]

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if refused is not None:
            status, reason = refused
            await send_with_headers(
                {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]}
            )
            await send_with_headers({"type": "http.response.body", "body": reason.encode()})
            return
        await app(scope, receive, send_with_headers)

    return wrapped


def build_app(session: Session, token: str) -> Starlette:
    """The Starlette app serving ``session`` (unguarded: :func:`serve` wraps it)."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
    from starlette.routing import Route

    def page(_: Request) -> Response:
        return HTMLResponse(_static("index.html").replace("{{TOKEN}}", token))

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", status_code=404)
        return PlainTextResponse(_static(name), media_type=STATIC[name])

    def state(_: Request) -> Response:
        with session.lock:
            return JSONResponse(session.state())

    def actors(request: Request) -> Response:
        hits = session.actors.search(request.query_params.get("q", ""))
        return JSONResponse([{"id": n.actor_id, "name": n.name, "label": n.label, "kind": n.kind} for n in hits])

    async def body(request: Request) -> dict[str, Any] | None:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _run(payload: dict[str, Any], write: bool) -> Response:
        with session.lock:
            try:
                draft = session.draft(payload)
            except ScaffoldError as err:
                listed = [{"field": "", "text": p, "code": "form", "message": p, "hint": ""} for p in err.problems]
                return JSONResponse({"problems": listed, "saved": []})
            problems = session.check(draft)
            answer: dict[str, Any] = {
                "problems": [p.as_dict() for p in problems],
                "resolved": draft.resolved,
                "suggestions": draft.suggestions,
                "quote": draft.quote,
                "saved": [],
            }
            if write and not problems:
                try:
                    answer["saved"] = session.save(draft)
                except (ScaffoldError, CannotWrite, OSError) as err:
                    text = "; ".join(err.problems) if isinstance(err, ScaffoldError) else str(err)
                    answer["problems"] = [{"field": "", "text": text, "code": "save", "message": text, "hint": ""}]
            return JSONResponse(answer)

    async def check(request: Request) -> Response:
        payload = await body(request)
        if payload is None:
            return PlainTextResponse("send a JSON object", status_code=400)
        import anyio.to_thread

        return await anyio.to_thread.run_sync(_run, payload, False)

    async def save(request: Request) -> Response:
        payload = await body(request)
        if payload is None:
            return PlainTextResponse("send a JSON object", status_code=400)
        import anyio.to_thread

        return await anyio.to_thread.run_sync(_run, payload, True)

    return Starlette(
        routes=[
            Route("/", page),
            Route("/static/{name}", static),
            Route("/api/state", state),
            Route("/api/actors", actors),
            Route("/api/check", check, methods=["POST"]),
            Route("/api/save", save, methods=["POST"]),
        ]
    )


def bind_loopback() -> socket.socket:
    """A listening socket on 127.0.0.1 at a free port chosen by the system."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


class Server:
    """The app served by uvicorn on a loopback socket; ``url`` carries the token.

    ``start()`` runs it in a thread (tests); ``run()`` blocks until Ctrl-C.
    """

    def __init__(self, session: Session, token: str) -> None:
        import uvicorn

        self.sock = bind_loopback()
        self.port = int(self.sock.getsockname()[1])
        self.guard = Guard(token, self.port)
        self.url = f"http://127.0.0.1:{self.port}/?token={token}"
        config = uvicorn.Config(
            guarded(build_app(session, token), self.guard), log_level="warning", access_log=False, lifespan="off"
        )
        self.server: uvicorn.Server = uvicorn.Server(config)
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        self.server.run(sockets=[self.sock])

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            threading.Event().wait(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(10)
        self.sock.close()
