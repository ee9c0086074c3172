"""Message Batches: many `messages.create` requests sent as one, results fetched later.

Shapes come from the SDK (`anthropic/types/messages/message_batch*.py`,
`deleted_message_batch.py`, `resources/messages/batches.py`); rules from the "Batch
processing" page and the Message Batches API reference. What the double does:

- `POST /v1/messages/batches` checks every `params` as `POST /v1/messages` would and
  answers every request at once, from the scripted replies, in request order. The
  batch still starts `in_progress`, so a polling loop runs once.
- `GET /v1/messages/batches/{id}` reports the batch `ended` from the first retrieve
  on, with `results_url` pointing back at the double.
- `GET {results_url}` is JSON Lines (`content-type: application/x-jsonl`), one
  `{"custom_id", "result"}` per request; `result` is `succeeded` with the `Message`
  (`usage.service_tier` is `"batch"`), or `errored` with the API's error body.
- `POST .../{id}/cancel` before the batch has ended makes it `canceling`; it then
  ends with every request `canceled`, although the double had already answered them.
- `GET /v1/messages/batches` lists the newest first (`limit`, `after_id`,
  `before_id`); `DELETE .../{id}` removes an ended batch.

Recorded requests (`ClaudeDouble.requests`): the create itself (path
`/v1/messages/batches`, the whole body), then one entry per request in the batch, with
path `/v1/messages/batches#<custom_id>`, the batch's headers, that request's `params`
as body and the status it would have had on its own (200, or the error's status).
A cancel is a POST and is recorded too; retrieves, lists and deletes are not.
"""

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from .errors import ApiError, invalid, new_id

EXPIRY = timedelta(hours=24)  # "expire and end processing ... 24 hours after creation"
RESULT_TYPES = ("succeeded", "errored", "canceled", "expired")
LIST_LIMIT = (1, 1000, 20)  # lowest, highest, default (`BatchListParams.limit`)


def _timestamp(moment: datetime | None) -> str | None:
    """RFC 3339 with microseconds, as in the reference's examples."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Batch:
    id: str
    created_at: datetime
    results: list[tuple[str, dict[str, Any]]]  # (custom_id, `MessageBatchResult`)
    processing_status: str = "in_progress"
    ended_at: datetime | None = None
    cancel_initiated_at: datetime | None = None

    def as_object(self, base_url: str) -> dict[str, Any]:
        """The `MessageBatch` object."""
        ended = self.processing_status == "ended"
        counts = dict.fromkeys(("processing", *RESULT_TYPES), 0)
        if ended:  # "zero until processing of the entire Message Batch has ended"
            for _, result in self.results:
                counts[result["type"]] += 1
        else:
            counts["processing"] = len(self.results)
        url = f"{base_url}/v1/messages/batches/{self.id}/results"
        return {
            "id": self.id,
            "type": "message_batch",
            "processing_status": self.processing_status,
            "request_counts": counts,
            "created_at": _timestamp(self.created_at),
            "expires_at": _timestamp(self.created_at + EXPIRY),
            "ended_at": _timestamp(self.ended_at),
            "archived_at": None,
            "cancel_initiated_at": _timestamp(self.cancel_initiated_at),
            "results_url": url if ended else None,
        }

    def end(self) -> None:
        if self.processing_status == "canceling":
            self.results = [(cid, {"type": "canceled"}) for cid, _ in self.results]
        self.processing_status = "ended"
        self.ended_at = datetime.now(UTC)


def _not_found(batch_id: str) -> ApiError:
    return ApiError(404, "not_found_error", f"Message Batch {batch_id} not found.")


class Batches:
    """Every batch created since the last reset, oldest first."""

    def __init__(self) -> None:
        self._held: dict[str, Batch] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._held.clear()

    def create(self, results: list[tuple[str, dict[str, Any]]]) -> Batch:
        batch = Batch(new_id("msgbatch_"), datetime.now(UTC), results)
        with self._lock:
            self._held[batch.id] = batch
        return batch

    def _get(self, batch_id: str) -> Batch:
        batch = self._held.get(batch_id)
        if batch is None:
            raise _not_found(batch_id)
        return batch

    def retrieve(self, batch_id: str) -> Batch:
        """The batch, ended: a retrieve is when the double finishes processing."""
        with self._lock:
            batch = self._get(batch_id)
            if batch.processing_status != "ended":
                batch.end()
            return batch

    def cancel(self, batch_id: str) -> Batch:
        with self._lock:
            batch = self._get(batch_id)
            if batch.processing_status == "ended":
                raise invalid(
                    f"Message Batch {batch_id} has already ended and cannot be "
                    "canceled."
                )
            if batch.processing_status == "in_progress":
                batch.processing_status = "canceling"
                batch.cancel_initiated_at = datetime.now(UTC)
            return batch

    def delete(self, batch_id: str) -> dict[str, str]:
        """`DeletedMessageBatch`; a batch still processing must be canceled first."""
        with self._lock:
            batch = self._get(batch_id)
            if batch.processing_status != "ended":
                raise invalid(
                    f"Message Batch {batch_id} is still processing; cancel it and "
                    "wait for it to end before deleting it."
                )
            del self._held[batch_id]
        return {"id": batch_id, "type": "message_batch_deleted"}

    def results(self, batch_id: str) -> bytes:
        """The `.jsonl` file: one `MessageBatchIndividualResponse` per line."""
        with self._lock:
            batch = self._get(batch_id)
            if batch.processing_status != "ended":
                raise invalid(
                    f"Message Batch {batch_id} has not ended yet; its results are "
                    "available once `processing_status` is `ended`."
                )
            lines = [
                json.dumps({"custom_id": cid, "result": result}, ensure_ascii=False)
                for cid, result in batch.results
            ]
        return "".join(line + "\n" for line in lines).encode()

    def page(self, query: str, base_url: str) -> dict[str, Any]:
        """`GET /v1/messages/batches`: a `SyncPage[MessageBatch]`, newest first."""
        params = {key: values[-1] for key, values in parse_qs(query).items()}
        lowest, highest, default = LIST_LIMIT
        try:
            limit = int(params.get("limit", default))
        except ValueError:
            raise invalid("limit: Input should be a valid integer") from None
        if not lowest <= limit <= highest:
            raise invalid(f"limit: Input should be between {lowest} and {highest}")
        with self._lock:
            newest = list(reversed(self._held.values()))
            ids = [batch.id for batch in newest]
            if "before_id" in params:
                end = self._index(ids, params["before_id"])
                start = max(0, end - limit)
                chosen, has_more = newest[start:end], start > 0
            else:
                after = params.get("after_id")
                start = 0 if after is None else self._index(ids, after) + 1
                chosen = newest[start : start + limit]
                has_more = start + limit < len(newest)
            data = [batch.as_object(base_url) for batch in chosen]
        return {
            "data": data,
            "has_more": has_more,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
        }

    @staticmethod
    def _index(ids: list[str], batch_id: str) -> int:
        if batch_id not in ids:
            raise _not_found(batch_id)
        return ids.index(batch_id)
