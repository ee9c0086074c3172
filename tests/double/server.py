"""The Claude double: a local HTTP server that speaks the Messages API.

Endpoints: `POST /v1/messages`, `POST /v1/messages/count_tokens`, `GET /v1/models`
(and `/{id}`), and the Message Batches endpoints under `/v1/messages/batches` (see
`batches.py`, which also says how a batch shows in the recorded requests).

`ClaudeDouble.handle()` turns one request into one response; `_Handler` only moves
bytes between a socket and `handle()`. The server is the standard library's
`ThreadingHTTPServer`, run in a daemon thread.
"""

import json
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import models, replies, sse, tokens, validation
from .batches import Batches
from .behaviour import BehaviourError
from .cache import PromptCache
from .diagnostics import Diagnostics
from .errors import DEFAULT_MESSAGES, ApiError, AuthoringError, new_id
from .scripts import Scripts, parse_entries
from .threads import Threads

log = logging.getLogger("tests.double")
BATCHES = "/v1/messages/batches"


@dataclass(frozen=True)
class RecordedRequest:
    """One POST the double received, as sent (a thread `continue` is not expanded),
    or one request inside a batch (path `/v1/messages/batches#<custom_id>`)."""

    path: str
    headers: dict[str, str]  # names in lower case
    body: Any  # the parsed JSON, or None when the body is not JSON
    status: int  # the status the double answered with


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    stream: list[bytes] | None = None  # server-sent events, sent chunk by chunk
    # Requests answered inside this one (a batch's), recorded after it.
    inner: list["RecordedRequest"] = field(default_factory=list)


def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(
        status, {"content-type": "application/json", **(headers or {})}, body
    )


class ClaudeDouble:
    """A local stand-in for the Anthropic API that answers from scripted replies.

    `responses_dir` is searched for `responses/*.yml` files at any depth.
    """

    def __init__(self, responses_dir: Path, port: int = 0) -> None:
        self.scripts = Scripts(Path(responses_dir))
        self.cache = PromptCache()
        self.diagnostics = Diagnostics()
        self.threads = Threads()
        self.batches = Batches()
        self.requests: list[RecordedRequest] = []
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- lifecycle ----------------------------------------------------------------

    def start(self) -> "ClaudeDouble":
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), _Handler)
        self._server.double = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that stop() returns quickly
            name="claude-double",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "ClaudeDouble":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the double is not running: call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reset(self) -> None:
        """Forget recorded requests, `times` counters, prompt cache, cache
        diagnostics, threads and batches."""
        with self._lock:
            self.requests.clear()
        self.scripts.reset()
        self.cache.clear()
        self.diagnostics.clear()
        self.threads.clear()
        self.batches.clear()

    @contextmanager
    def script(self, entries: list[dict[str, Any]]) -> Iterator[None]:
        """Serve `entries` (the YAML format, as Python data) ahead of all others."""
        parsed = parse_entries(entries, "double.script()")
        self.scripts.push(parsed)
        try:
            yield
        finally:
            self.scripts.remove(parsed)

    # --- one request --------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes | None
    ) -> Response:
        """Answer one request. `raw` is None when the body was too large to read."""
        request_id = new_id("req_")
        url = urlsplit(target)
        path = url.path
        try:
            try:
                response = self._route(method, path, url.query, headers, raw)
            except BehaviourError as gap:
                raise AuthoringError(str(gap)) from None
        except ApiError as error:
            if isinstance(error, AuthoringError):
                log.error("%s %s: %s", method, path, error.message)
            response = _json(error.status, error.body(request_id), error.headers)
        response.headers["request-id"] = request_id
        if method == "POST":
            self._record(path, headers, raw, response)
        return response

    def _record(
        self, path: str, headers: dict[str, str], raw: bytes | None, response: Response
    ) -> None:
        """The request, then the requests answered inside it (a batch's)."""
        try:
            body = json.loads(raw) if raw is not None else None
        except ValueError:
            body = None
        request = RecordedRequest(path, dict(headers), body, response.status)
        with self._lock:
            self.requests.append(request)
            self.requests.extend(response.inner)

    def _route(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        raw: bytes | None,
    ) -> Response:
        if method == "POST" and path in ("/v1/messages", "/v1/messages/count_tokens"):
            if raw is None:
                raise _too_large()
            validation.check_headers(headers)
            body = validation.parse_body(raw)
            if path.endswith("/count_tokens"):
                seen = validation.validate_count(body, headers)
                return _json(200, {"input_tokens": tokens.count_input(seen)})
            validation.check_thread(body, headers)
            body = self.threads.expand(body)
            seen = validation.validate_create(body, headers)
            return self._messages(seen, headers)
        if method == "GET" and path.startswith("/v1/models"):
            validation.check_headers(headers)
            return self._models(path.removeprefix("/v1/models").strip("/"))
        if path == BATCHES or path.startswith(BATCHES + "/"):
            if raw is None:
                raise _too_large()
            validation.check_headers(headers)
            return self._batches(method, path, query, headers, raw)
        raise ApiError(404, "not_found_error", "Not found")

    def _reply(self, body: dict[str, Any], version: str) -> dict[str, Any]:
        """The `Message` the scripts give a valid request, or its scripted error."""
        entry = self.scripts.select(body)
        if entry.error is not None:
            error = entry.error
            headers = {}
            if error["status"] == 429:
                seconds = error.get("retry_after", 1)
                headers["retry-after"] = str(
                    int(seconds) if seconds == int(seconds) else seconds
                )
            message = error.get("message", DEFAULT_MESSAGES[error["type"]])
            raise ApiError(error["status"], error["type"], message, headers)
        message = replies.build_message(entry, body, version)
        message["usage"] = {**self.cache.use(body).as_usage(), **message["usage"]}
        return message

    def _messages(self, body: dict[str, Any], headers: dict[str, str]) -> Response:
        version = validation.version_of(headers)
        extra = self._deprecation(body["model"])
        message = self._reply(body, version)
        self.threads.remember(body, message)
        if "diagnostics" in body:  # the reply has the field only when asked
            message["diagnostics"] = self.diagnostics.report(
                body, headers, version, message["id"]
            )
        if not body.get("stream"):
            return _json(200, message, extra)
        stream = [sse.encode(name, data) for name, data in sse.events(message)]
        headers = {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache",
        }
        return Response(200, {**headers, **extra}, stream=stream)

    def _batches(
        self, method: str, path: str, query: str, headers: dict[str, str], raw: bytes
    ) -> Response:
        """The Message Batches endpoints (see `batches.py`)."""
        parts = path.removeprefix(BATCHES).strip("/").split("/")
        batch_id, action = parts[0], "/".join(parts[1:])
        if not batch_id:
            if method == "POST":
                return self._create_batch(headers, raw)
            if method == "GET":
                return _json(200, self.batches.page(query, self.base_url))
        elif not action and method == "GET":
            return _json(200, self.batches.retrieve(batch_id).as_object(self.base_url))
        elif not action and method == "DELETE":
            return _json(200, self.batches.delete(batch_id))
        elif action == "cancel" and method == "POST":
            return _json(200, self.batches.cancel(batch_id).as_object(self.base_url))
        elif action == "results" and method == "GET":
            jsonl = self.batches.results(batch_id)
            return Response(200, {"content-type": "application/x-jsonl"}, jsonl)
        raise ApiError(404, "not_found_error", "Not found")

    def _create_batch(self, headers: dict[str, str], raw: bytes) -> Response:
        """Check every request, then answer each one as `POST /v1/messages` would."""
        checked = validation.validate_batch(validation.parse_body(raw), headers)
        results, inner = [], []
        for custom_id, params, refused in checked:
            result, status = self._batch_result(
                custom_id, params, refused, validation.version_of(headers)
            )
            results.append((custom_id, result))
            path = f"{BATCHES}#{custom_id}"
            inner.append(RecordedRequest(path, dict(headers), params, status))
        batch = self.batches.create(results)
        response = _json(200, batch.as_object(self.base_url))
        response.inner = inner
        return response

    def _batch_result(
        self,
        custom_id: str,
        params: dict[str, Any],
        refused: ApiError | None,
        version: str,
    ) -> tuple[dict[str, Any], int]:
        """A `MessageBatchResult`, and the status the request would have had alone.

        A scripted error becomes an `errored` result; a mistake in the scripts still
        fails the whole create, loudly.
        """
        if refused is None:
            try:
                message = self._reply(params, version)
            except AuthoringError as mistake:
                raise AuthoringError(
                    f"batch request {custom_id!r}: {mistake.message}"
                ) from None
            except ApiError as error:
                refused = error
            else:
                message["usage"]["service_tier"] = "batch"
                return {"type": "succeeded", "message": message}, 200
        body = refused.body(new_id("req_"))
        return {"type": "errored", "error": body}, refused.status

    def _deprecation(self, model: str) -> dict[str, str]:
        """Deprecated models still answer; the double says so in a `warning` header."""
        if model not in models.DEPRECATED:
            return {}
        note = (
            f"The model '{model}' is deprecated and will reach end-of-life on "
            f"{models.DEPRECATED[model]}."
        )
        log.warning(note)
        return {"warning": f'299 - "{note}"'}

    def _models(self, model_id: str) -> Response:
        """`GET /v1/models` and `GET /v1/models/{id}` (ModelInfo in the SDK)."""
        if not model_id:
            data = [_model_info(m) for m in models.KNOWN_MODELS]
            first, last = data[0]["id"], data[-1]["id"]
            return _json(
                200,
                {"data": data, "has_more": False, "first_id": first, "last_id": last},
            )
        if model_id not in models.KNOWN_MODELS:
            raise ApiError(404, "not_found_error", f"model: {model_id}")
        return _json(200, _model_info(model_id))


def _too_large() -> ApiError:
    return ApiError(413, "request_too_large", DEFAULT_MESSAGES["request_too_large"])


def _model_info(model: str) -> dict[str, Any]:
    words = models.base_name(model).removeprefix("claude-").split("-")
    version = ".".join(w for w in words if w.isdigit())
    name = " ".join(
        ["Claude", *(w.capitalize() for w in words if not w.isdigit()), version]
    )
    return {
        "type": "model",
        "id": model,
        "display_name": name.strip(),
        "created_at": "1970-01-01T00:00:00Z",  # "an epoch value if ... unknown"
        "lifecycle": "deprecated" if model in models.DEPRECATED else "active",
        "max_tokens": models.max_output_tokens(model),
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and chunked encoding for streams

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes. With Nagle's algorithm on, the
        # body waits for the client to ACK the headers, and the client delays that
        # ACK by ~40 ms: every kept-alive request would pay it.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("content-length") or 0)
        batch = urlsplit(self.path).path.startswith(BATCHES)
        limit = validation.MAX_BATCH_BYTES if batch else validation.MAX_BODY_BYTES
        raw = None
        if length <= limit:
            raw = self.rfile.read(length)
        else:
            self.close_connection = True
        headers = {name.lower(): value for name, value in self.headers.items()}
        response = self.server.double.handle(method, self.path, headers, raw)  # type: ignore[attr-defined]
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.stream is None:
            self.send_header("content-length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
            return
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for chunk in response.stream:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)
