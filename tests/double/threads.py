"""Message threads (beta `message-threads-2026-08-12`): the server keeps the talk.

From the "Message threads" page: `thread: {"type": "create"}` stores the request's
conversation, the reply included, under the reply's `id`. A later request with
`thread: {"type": "continue", "previous_message_id": id}` sends only the new
messages and leaves `system` and `tools` out: the thread keeps the create
request's. Each reply can be continued once. A thread expires 5 minutes after its
last request; continuing one that is gone is a 404 with `error_code:
thread_not_found`, and the SDK then replays the whole conversation.
"""

import threading
import time
from dataclasses import dataclass
from typing import Any

from .errors import ApiError, invalid

CREATE_ONLY = ("system", "tools")
EXPIRY_SECONDS = 300.0


@dataclass
class _Held:
    request: dict[str, Any]  # the full request of the turn, with its reply appended
    expires: float
    continued: bool = False


class Threads:
    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._held.clear()

    def expand(self, body: dict[str, Any]) -> dict[str, Any]:
        """The whole request that `body` stands for: itself, unless it continues."""
        thread = body.get("thread")
        if not thread or thread["type"] != "continue":
            return body
        for field in CREATE_ONLY:
            if field in body:
                raise invalid(
                    f"{field}: not allowed when continuing a thread; the thread keeps "
                    "the value of its create request"
                )
        previous = thread["previous_message_id"]
        with self._lock:
            held = self._held.get(previous)
            if held is None or held.expires < time.monotonic():
                raise ApiError(
                    404,
                    "not_found_error",
                    f"No thread state found for previous_message_id {previous}.",
                    details={"error_code": "thread_not_found"},
                )
            if held.continued:
                raise ApiError(
                    400,
                    "invalid_request_error",
                    f"The response {previous} has already been continued.",
                    details={"error_code": "thread_already_continued"},
                )
            earlier = held.request
        whole = {key: earlier[key] for key in CREATE_ONLY if key in earlier}
        history = [_without_cache_control(m) for m in earlier["messages"]]
        return {**whole, **body, "messages": [*history, *body["messages"]]}

    def remember(self, body: dict[str, Any], message: dict[str, Any]) -> None:
        """Hold the conversation of a threaded request under its reply's id."""
        thread = body.get("thread")
        if not thread:
            return
        reply = {"role": "assistant", "content": message["content"]}
        request = {**body, "messages": [*body["messages"], reply]}
        with self._lock:
            if thread["type"] == "continue":
                self._held[thread["previous_message_id"]].continued = True
            expires = time.monotonic() + EXPIRY_SECONDS
            self._held[message["id"]] = _Held(request, expires)


def _without_cache_control(message: dict[str, Any]) -> dict[str, Any]:
    """Breakpoints belong to the request that set them, not to later turns."""
    if isinstance(message["content"], str):
        return message
    content = [
        {k: v for k, v in block.items() if k != "cache_control"}
        for block in message["content"]
    ]
    return {**message, "content": content}
