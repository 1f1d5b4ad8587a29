"""The refresh endpoint for Excel's remote clients: VBA ``RunRemotePython`` and Office Scripts
``runPython``.

``POST /refresh`` takes the JSON payload the client posts (the workbook's sheets' values),
opens it as ``xw.Book(json=payload)``, runs :func:`addin.refresh` and returns ``book.json()``:
the actions the client applies to the open workbook. Start it with ``kpi-dashboard serve`` (or
``uvicorn addin.server:app``).

Needs ``pip install kpi-dashboard[server]`` (FastAPI, uvicorn) and a licence key for xlwings'
remote engine (``xlwings.pro``, PolyForm Noncommercial 1.0.0 or paid): set
``XLWINGS_LICENSE_KEY`` before the server starts (``noncommercial`` for a council; see
docs/excel-guide.md).

Configuration, from the environment when the app is created:

- ``KPI_DASHBOARD_TOKEN``: when set, every request must carry it in the ``Authorization``
  header (what the clients send from the workbook's ``AUTH`` setting; ``Bearer <token>`` is
  accepted too). Compared in constant time.
- ``KPI_DASHBOARD_MAX_BYTES``: the largest payload accepted (default 10 MB), checked against
  the ``Content-Length`` header and against the body actually received.
- ``KPI_DASHBOARD_TIMEOUT``: seconds a refresh may take before the server answers 504 (default
  60; raise the workbook's xlwings.conf TIMEOUT to match, as the VBA client gives up at 30).
- ``KPI_DASHBOARD_CORS_ORIGINS``: comma-separated origins allowed to call from a browser
  (Office Scripts run in Excel on the web and need CORS; VBA does not).
- ``KPI_DASHBOARD_MAX_CONCURRENT``: refreshes run at once (default: the number of cores);
  ``KPI_DASHBOARD_QUEUE_WAIT``: seconds a refresh waits for its turn before the server answers
  503, busy (default 30).

Each refresh runs in a process of its own, so a refresh that passes its time limit is really
stopped (the process is killed) and the memory of every refresh is returned when it ends; when
the server stops (SIGINT, SIGTERM), the refreshes still running are killed with it. A request
takes its turn before its body is read: those waiting hold only their connection, not their
workbook, so the server's memory does not grow with the queue.

xlwings Server (the Office.js add-in's back end) runs the same way when started as
:func:`xlwings_server_app` (``uvicorn --factory addin.server:xlwings_server_app``): its Refresh
script waits for the same turns, and its payloads get the same checks and answers.

Refusals are JSON ``{"detail": "<plain message>"}``, never a stack trace: 413 too large,
401 missing or wrong token, 504 too slow, 408 the workbook itself took longer than the time
limit to arrive, 400 not a workbook payload (not JSON, nested too deep, a cell that is not a
value) or a client/server xlwings version mismatch (with what to do), 503 the server's licence
key is not set or the server busy, 500 anything else (the traceback goes to the server's log
only).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import contextvars
import hmac
import json
import logging
import multiprocessing
import os
import time
from collections.abc import AsyncIterator, Callable
from multiprocessing.connection import Connection
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect

from addin.excel import refresh

log = logging.getLogger("kpi_dashboard.server")

TOKEN_ENV = "KPI_DASHBOARD_TOKEN"
MAX_BYTES_ENV = "KPI_DASHBOARD_MAX_BYTES"
CORS_ENV = "KPI_DASHBOARD_CORS_ORIGINS"
LICENCE_ENV = "XLWINGS_LICENSE_KEY"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
OFFICE_JS = "Office.js"
CLIENT_NAMES = {
    "VBA": "the workbook's xlwings VBA module",
    "Microsoft Office Scripts": "the workbook's xlwings Office Script",
}
_FROM_ENV: Any = object()


class Refused(Exception):
    """A request the server will not run; ``message`` is what the officer reads."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def licence_problem() -> str | None:
    """Why xlwings' remote engine cannot run here, or None when it can."""
    if not os.environ.get(LICENCE_ENV):
        return (
            f"The refresh server has no xlwings licence key. Set {LICENCE_ENV} before starting it: "
            f"'noncommercial' (PolyForm Noncommercial 1.0.0, which permits use by government "
            f"institutions) or a commercial xlwings key. See docs/excel-guide.md."
        )
    return None


def _remote_engine_ready() -> bool:
    import xlwings as xw

    return "remote" in [engine.name for engine in xw.engines]


def max_bytes_from_env() -> int:
    text = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{MAX_BYTES_ENV} must be a whole number of bytes, not {text!r}") from None
    if value <= 0:
        raise ValueError(f"{MAX_BYTES_ENV} must be more than 0")
    return value


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def token_matches(header: str | None, token: str) -> bool:
    """Constant-time check of an ``Authorization`` header (``<token>`` or ``Bearer <token>``)."""
    if not header:
        return False
    given = header.strip()
    if given[:7].lower() == "bearer ":
        given = given[7:].strip()
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


CELL_TYPES = (str, int, float, bool, type(None))  # what a cell of the payload may hold


def check_payload(payload: Any) -> None:
    """Refuse what is not an xlwings workbook payload, or comes from a mismatched xlwings."""
    import xlwings as xw

    def sheet_ok(sheet: Any) -> bool:
        return (
            isinstance(sheet, dict)
            and isinstance(sheet.get("name"), str)
            and isinstance(sheet.get("values"), list)
            and all(
                isinstance(row, list) and all(isinstance(cell, CELL_TYPES) for cell in row)
                for row in sheet["values"]
            )
        )

    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("sheets"), list)
        or not isinstance(payload.get("book"), dict)
        or "version" not in payload
        or "client" not in payload
        or not all(sheet_ok(sheet) for sheet in payload["sheets"])
    ):
        raise Refused(
            400,
            "The request is not a workbook sent by xlwings. Click Refresh in the dashboard "
            "workbook; if this keeps happening, ask IT to check the workbook's xlwings set-up.",
        )
    client: Any  # whatever the JSON holds, looked up in CLIENT_NAMES as it is
    client, version = payload.get("client"), payload.get("version")
    if client != OFFICE_JS and version != xw.__version__:
        what = CLIENT_NAMES.get(client, "the workbook's xlwings code")
        raise Refused(
            400,
            f"This workbook's xlwings code is version {version}, but the refresh server runs "
            f"xlwings {xw.__version__}, and they must be the same. Nothing was changed. Ask IT to "
            f"update {what} to xlwings {xw.__version__} (or to run the server with xlwings "
            f"{version}).",
        )


async def read_body(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The request's body, refused (413) as soon as it passes ``limit`` bytes."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise Refused(413, _too_large_message(len(body), limit))
    return bytes(body)


async def drain(chunks: AsyncIterator[bytes], limit: int, seconds: float) -> None:
    """Read and drop the body of a request turned away before it was read (503, busy), so the
    client, still sending it, reads the answer rather than a reset connection. Nothing is kept;
    a body past ``limit`` bytes or ``seconds`` is left unread."""

    async def read() -> None:
        seen = 0
        async for chunk in chunks:
            seen += len(chunk)
            if seen > limit:
                return

    with contextlib.suppress(Exception):  # gone, or too slow: nothing more to do for it
        await asyncio.wait_for(read(), seconds)


def parse_payload(body: bytes) -> Any:
    """The JSON of a request's body, refused (400) with a plain message when it is not JSON."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Refused(
            400, "The request is not a workbook sent by xlwings (it is not JSON)."
        ) from None
    except RecursionError:
        raise Refused(
            400, "The request is not a workbook sent by xlwings (its JSON is nested too deep)."
        ) from None


def refresh_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Open the payload as a remote book, refresh it and return the actions (``book.json()``)."""
    import xlwings as xw

    check_payload(payload)  # done by the routes already; here too for any other caller
    if not _remote_engine_ready():
        raise Refused(
            503,
            licence_problem()
            or "The refresh server cannot open workbooks: xlwings' remote "
            "engine did not load. Ask IT to check the server's xlwings licence key and restart it.",
        )
    try:
        book = xw.Book(json=payload)
    except Exception as err:
        log.warning("payload could not be opened: %s", err)
        raise Refused(
            400,
            "The workbook sent by Excel could not be read. Nothing was changed. Ask IT to check "
            "the workbook's xlwings set-up.",
        ) from err
    try:
        refresh(book)
        return book.json()
    finally:
        book.close()
        _clear_xlwings_cache()


def _clear_xlwings_cache() -> None:
    """xlwings' remote engine memoises range reads on the whole sheet's values without bound;
    a long-running server clears it after each request so memory does not grow."""
    # A later xlwings may not have it (no such module or function, or not an lru_cache).
    with contextlib.suppress(ImportError, AttributeError):
        from xlwings.pro._xlremote import get_range_api

        get_range_api.cache_clear()


TIMEOUT_ENV = "KPI_DASHBOARD_TIMEOUT"
DEFAULT_TIMEOUT = 60.0  # seconds; xlwings' VBA client gives up after 30 s unless TIMEOUT is raised
MAX_CONCURRENT_ENV = "KPI_DASHBOARD_MAX_CONCURRENT"
QUEUE_WAIT_ENV = "KPI_DASHBOARD_QUEUE_WAIT"
DEFAULT_QUEUE_WAIT = 30.0
BUSY = (
    "The refresh server is busy, try again in a minute. Nothing was changed. If it keeps "
    "happening, ask IT to raise KPI_DASHBOARD_MAX_CONCURRENT."
)


def _positive_from_env(name: str, default: float, whole: bool = False) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"{name} must be {kind}, not {text!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be more than 0")
    return value


# Imported once by the fork server, so each refresh process starts with them loaded.
PRELOAD = [
    "addin.server",
    "addin.excel",
    "addin.pictures",
    "xlwings",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
]


def _process_context() -> Any:
    """Refreshes start from a single-threaded fork server where there is one (a fork of this
    multi-threaded server could deadlock), else as new processes (Windows)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _refresh_in_child(refresh: Any, payload: dict[str, Any], conn: Connection) -> None:
    """A refresh process: the answer, or what refused it, sent back over ``conn``."""
    try:
        answer: tuple[Any, ...] = ("ok", refresh(payload))
    except Refused as refused:
        answer = ("refused", refused.status, refused.message)
    except Exception as err:  # noqa: BLE001 - reported to the server, which logs it
        import traceback

        answer = ("error", f"{type(err).__name__}: {err}", traceback.format_exc())
    conn.send(answer)
    conn.close()


class Refreshes:
    """At most ``limit`` refresh processes at once; each killed after ``seconds``, and all of
    them when the server stops. Both routes use it: ``POST /refresh`` and xlwings Server's
    Refresh script (see :func:`shared_refreshes`)."""

    def __init__(self, limit: int, queue_wait: float, seconds: float = DEFAULT_TIMEOUT) -> None:
        self.limit, self.queue_wait, self.seconds = limit, queue_wait, seconds
        self.slots = asyncio.Semaphore(limit)
        self.running: set[Any] = set()
        self.ctx = _process_context()

    @classmethod
    def from_env(
        cls,
        timeout: float | None = None,
        max_concurrent: int | None = None,
        queue_wait: float | None = None,
    ) -> Refreshes:
        """Settings left out are read from the environment (see the module doc)."""
        seconds = timeout if timeout is not None else timeout_from_env()
        if max_concurrent is None:
            max_concurrent = int(_positive_from_env(MAX_CONCURRENT_ENV, os.cpu_count() or 1, True))
        if queue_wait is None:
            queue_wait = _positive_from_env(QUEUE_WAIT_ENV, DEFAULT_QUEUE_WAIT)
        return cls(max_concurrent, queue_wait, seconds)

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for a free slot, at most ``queue_wait`` seconds (then :class:`Refused`, 503), and
        hold it. A request takes its turn before its body is read, so the requests waiting hold
        no workbook in memory; :meth:`run` inside a turn uses that turn."""
        try:
            await asyncio.wait_for(self.slots.acquire(), self.queue_wait)
        except asyncio.TimeoutError:
            raise Refused(503, BUSY) from None
        holding = _turn_held.set(self)
        try:
            yield
        finally:
            _turn_held.reset(holding)
            self.slots.release()

    async def run(self, refresh: Any, payload: dict[str, Any]) -> dict[str, Any]:
        """``refresh(payload)`` in a process of its own, in this request's turn (or a new one).
        Raises :class:`Refused`: 503 when no turn came within ``queue_wait``, 504 past the time
        limit (the process is killed)."""
        if _turn_held.get() is not self:
            async with self.turn():
                return await self.run(refresh, payload)
        try:
            return await self._run(refresh, payload, self.seconds)
        except asyncio.TimeoutError:
            book = payload.get("book")
            log.warning(
                "refresh of %s took longer than %.0f s",
                book.get("name") if isinstance(book, dict) else None,
                self.seconds,
            )
            raise Refused(
                504,
                f"The refresh took longer than {self.seconds:.0f} seconds, so it was stopped. "
                "Nothing was changed. Try again; if it happens again, ask IT to check the refresh "
                "server.",
            ) from None

    async def receive(self, chunks: AsyncIterator[bytes], limit: int) -> bytes:
        """A request's body, read in its turn: refused past ``limit`` bytes (413), or when it
        takes longer than the time limit to arrive (408), so a slow sender cannot hold a turn."""
        try:
            return await asyncio.wait_for(read_body(chunks, limit), self.seconds)
        except asyncio.TimeoutError:
            raise Refused(
                408,
                f"The workbook took longer than {self.seconds:.0f} seconds to arrive, so the "
                "refresh was not started. Nothing was changed. Try again; if it happens again, "
                "ask IT to check the network between Excel and the refresh server.",
            ) from None

    async def _run(self, refresh: Any, payload: dict[str, Any], seconds: float) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        receive, send = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=_refresh_in_child, args=(refresh, payload, send))
        proc.daemon = True
        self.running.add(proc)
        try:
            proc.start()
            send.close()

            def answer() -> tuple[Any, ...] | None:
                try:
                    return receive.recv()  # type: ignore[no-any-return]
                except (EOFError, OSError):  # the process died, or was killed
                    return None
                finally:
                    receive.close()

            got = await asyncio.wait_for(loop.run_in_executor(None, answer), seconds)
        finally:  # a time limit, a client gone, the server stopping: the process ends too
            if proc.is_alive():
                proc.kill()
            await loop.run_in_executor(None, proc.join)
            self.running.discard(proc)
        if got is None:
            raise RuntimeError(f"the refresh process stopped (exit code {proc.exitcode})")
        if got[0] == "refused":
            raise Refused(got[1], got[2])
        if got[0] == "error":
            log.error("refresh failed: %s\n%s", got[1], got[2])
            raise RuntimeError(got[1])
        return got[1]  # type: ignore[no-any-return]

    def kill_all(self) -> None:
        for proc in list(self.running):
            if proc.is_alive():
                proc.kill()


# The Refreshes whose turn the current request holds (see Refreshes.turn).
_turn_held: contextvars.ContextVar[Refreshes | None] = contextvars.ContextVar(
    "kpi_dashboard_turn_held", default=None
)
_shared: Refreshes | None = None


def shared_refreshes() -> Refreshes:
    """The refreshes of xlwings Server's Refresh script (one set per server process), with the
    settings of ``POST /refresh`` read from the environment on first use."""
    global _shared
    if _shared is None:
        _shared = Refreshes.from_env()
        atexit.register(_shared.kill_all)
    return _shared


def timeout_from_env() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def create_app(
    token: str | None = _FROM_ENV,
    max_bytes: int | None = None,
    cors_origins: list[str] | None = None,
    timeout: float | None = None,
    max_concurrent: int | None = None,
    queue_wait: float | None = None,
) -> FastAPI:
    """The FastAPI app. Arguments left out are read from the environment (see the module doc)."""
    refreshes = Refreshes.from_env(timeout, max_concurrent, queue_wait)
    if token is _FROM_ENV:
        token = os.environ.get(TOKEN_ENV) or None
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    if cors_origins is None:
        cors_origins = [o.strip() for o in os.environ.get(CORS_ENV, "").split(",") if o.strip()]

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        refreshes.kill_all()

    app = FastAPI(
        title="kpi-dashboard refresh server",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.refreshes = refreshes
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
        )

    @app.exception_handler(Exception)
    async def _unexpected(
        request: Request, exc: Exception
    ) -> JSONResponse:  # pragma: no cover - safety net
        log.exception("unexpected error on %s", request.url.path)
        return _error(
            500,
            "The refresh server hit an internal error. Nothing was changed. Ask IT to check the "
            "server's log.",
        )

    @app.get("/health")
    async def health() -> dict[str, Any]:
        from kpi_engine import __version__

        return {"status": "ok", "kpi_dashboard": __version__}

    @app.post("/refresh")
    async def refresh_endpoint(request: Request) -> JSONResponse:
        started = time.perf_counter()
        try:
            check_length(request.headers.get("content-length"), limit)
        except Refused as refused:
            return _error(refused.status, refused.message)
        if token is not None and not token_matches(request.headers.get("authorization"), token):
            return _error(
                401,
                "The refresh server did not accept this workbook's access token. Nothing was "
                "changed. Ask IT to check the AUTH setting on the workbook's xlwings.conf sheet "
                "(and the KPI_DASHBOARD_TOKEN set for you).",
            )
        size, turned = 0, False
        try:
            async with refreshes.turn():  # before the body is read: see Refreshes.turn
                turned = True
                body = await refreshes.receive(request.stream(), limit)
                size = len(body)
                payload = parse_payload(body)
                del body  # the payload is what the refresh needs
                check_payload(payload)
                result = await refreshes.run(refresh_payload, payload)
        except Refused as refused:
            if not turned:
                await drain(request.stream(), limit, refreshes.seconds)
            return _error(refused.status, refused.message)
        except ClientDisconnect:  # no one is left to read the answer
            return _error(400, "The request ended before the whole workbook arrived.")
        except Exception:
            log.exception("refresh failed")
            return _error(
                500,
                "The dashboard could not be refreshed because of an internal error. Nothing was "
                "changed. Ask IT to check the refresh server's log.",
            )
        log.info(
            "refreshed %s from %s: %d bytes in, %d actions out, %.2f s",
            payload["book"].get("name"),
            payload.get("client"),
            size,
            len(result.get("actions", [])),
            time.perf_counter() - started,
        )
        return JSONResponse(result)

    return app


def _too_large_message(size: int, limit: int) -> str:
    return (
        f"The workbook sent is too large ({_megabytes(size)}; the limit is {_megabytes(limit)}). "
        "Nothing was changed. Ask IT to list only the input and output sheets under INCLUDE on the "
        "workbook's xlwings.conf sheet, or to raise KPI_DASHBOARD_MAX_BYTES."
    )


def check_length(header: str | None, limit: int) -> None:
    """Refuse, before a byte of the body is read, a request whose Content-Length is not a number
    (400) or is over ``limit`` (413)."""
    if header is None:
        return
    try:
        declared = int(header)
    except ValueError:
        raise Refused(400, "The request's Content-Length is not a number.") from None
    if declared > limit:
        raise Refused(413, _too_large_message(declared, limit))


SCRIPTS_CALL = "/xlwings/custom-scripts-call/"  # xlwings Server's route for the add-in's scripts


class XlwingsServerGuard:
    """xlwings Server's script calls with what ``POST /refresh`` gives its own: a turn taken
    before the body is read (the Refresh script then runs in it), the size limit, and
    :func:`check_payload`. xlwings Server itself parses the body first and answers 500 to a body
    that is not JSON, is nested too deep or is not a workbook; here such a body is a 4xx with a
    plain message and never reaches it."""

    def __init__(self, app: Any, refreshes: Refreshes, max_bytes: int) -> None:
        self.app, self.refreshes, self.limit = app, refreshes, max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or SCRIPTS_CALL not in scope.get("path", "")
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        async with contextlib.AsyncExitStack() as turn:
            turned = False
            try:
                check_length(headers.get("content-length"), self.limit)
                await turn.enter_async_context(self.refreshes.turn())
                turned = True
                body = await self.refreshes.receive(_chunks(receive), self.limit)
                check_payload(parse_payload(body))
            except Refused as refused:
                if not turned:
                    await drain(_chunks(receive), self.limit, self.refreshes.seconds)
                await _error(refused.status, refused.message)(scope, receive, send)
                return
            except ConnectionResetError:  # the client went away: no one to answer
                return
            replayed = _replay(body, receive)
            del body
            await self.app(scope, replayed, send)


async def _chunks(receive: Any) -> AsyncIterator[bytes]:
    """An ASGI request's body, chunk by chunk."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionResetError("the client went away")
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


def _replay(body: bytes, receive: Any) -> Callable[[], Any]:
    """An ASGI ``receive`` that gives ``body`` (already read) once, and lets go of it, then waits
    on the real one (for the client going away)."""
    held = [body]

    async def replayed() -> dict[str, Any]:
        if held:
            return {"type": "http.request", "body": held.pop(), "more_body": False}
        return await receive()  # type: ignore[no-any-return]

    return replayed


def xlwings_server_app() -> Any:
    """xlwings Server's app (``xlwings_server.main:main_app``, its CORS and Socket.IO layers
    included) with :class:`XlwingsServerGuard` in front of its routes, sharing the Refresh
    script's turns (:func:`shared_refreshes`). For ``uvicorn --factory``; xlwings Server reads
    ``XLWINGS_PROJECT_DIR`` (``addin.XLWINGS_SERVER_PROJECT``) when first imported."""
    from xlwings_server import main as xlwings_server  # type: ignore[import-untyped]

    inner = xlwings_server.app
    if not getattr(inner.state, "kpi_dashboard_guard", False):
        inner.add_middleware(
            XlwingsServerGuard, refreshes=shared_refreshes(), max_bytes=max_bytes_from_env()
        )
        inner.state.kpi_dashboard_guard = True
    return xlwings_server.main_app


app: FastAPI  # made by __getattr__ on first use (a bare annotation binds nothing)


def __getattr__(name: str) -> Any:
    """``addin.server:app`` (what uvicorn loads) is created on first use, from the environment."""
    if name == "app":
        global app
        app = create_app()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
