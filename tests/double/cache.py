"""Prompt caching: which input tokens a request writes to, or reads from, the cache.

Rules from the "Prompt caching" page:
- the prefix up to and including a block with `cache_control` is a breakpoint;
  top-level `cache_control` puts one on the last block of the request;
- a breakpoint also hits a prefix cached at any of the 20 blocks before it;
- a prefix shorter than the model's minimum is never cached, and no error says so;
- entries live 5 minutes (or 1 hour with `ttl: "1h"`), refreshed on every read;
- `input_tokens` counts only what comes after the last read or written breakpoint.
"""

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from . import models, tokens

LOOKBACK_BLOCKS = 20
TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}


@dataclass(frozen=True)
class CacheUsage:
    input_tokens: int
    cache_read_input_tokens: int
    ephemeral_5m_input_tokens: int
    ephemeral_1h_input_tokens: int

    def as_usage(self) -> dict[str, Any]:
        """The input half of the response's `usage` object."""
        return {
            "input_tokens": self.input_tokens,
            "cache_creation_input_tokens": self.ephemeral_5m_input_tokens
            + self.ephemeral_1h_input_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "cache_creation": {
                "ephemeral_5m_input_tokens": self.ephemeral_5m_input_tokens,
                "ephemeral_1h_input_tokens": self.ephemeral_1h_input_tokens,
            },
        }


class PromptCache:
    def __init__(self) -> None:
        # prefix hash -> (monotonic expiry time, lifetime in seconds)
        self._entries: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def use(self, body: dict[str, Any]) -> CacheUsage:
        """Read and write the cache for one request; return its input usage."""
        segments = tokens.prompt_segments(body)
        if body.get("cache_control") and segments:
            last = segments[-1]
            segments[-1] = tokens.Segment(
                last.content, last.tokens, body["cache_control"]
            )
        total = tokens.count_input(body)
        hashes, ends = _prefixes(body["model"], segments)
        breakpoints = [i for i, s in enumerate(segments) if s.cache_control]
        now = time.monotonic()
        with self._lock:
            read_at = max(
                (
                    j
                    for i in breakpoints
                    for j in range(max(0, i - LOOKBACK_BLOCKS + 1), i + 1)
                    if self._entries.get(hashes[j], (0.0, 0.0))[0] > now
                ),
                default=-1,
            )
            read = ends[read_at] if read_at >= 0 else 0
            if read_at >= 0:
                lifetime = self._entries[hashes[read_at]][1]
                self._entries[hashes[read_at]] = (now + lifetime, lifetime)
            written = {"5m": 0, "1h": 0}
            covered = read
            minimum = models.cache_minimum(body["model"])
            for i in breakpoints:
                if i <= read_at or ends[i] < minimum:
                    continue
                ttl = segments[i].cache_control.get("ttl", "5m")
                written[ttl] += ends[i] - covered
                covered = ends[i]
                self._entries[hashes[i]] = (now + TTL_SECONDS[ttl], TTL_SECONDS[ttl])
        return CacheUsage(
            input_tokens=total - covered,
            cache_read_input_tokens=read,
            ephemeral_5m_input_tokens=written["5m"],
            ephemeral_1h_input_tokens=written["1h"],
        )


def _prefixes(
    model: str, segments: list[tokens.Segment]
) -> tuple[list[str], list[int]]:
    """For each block: the hash of the prompt up to it, and its token count so far."""
    digest = hashlib.sha256(model.encode())
    total = tokens.REQUEST_OVERHEAD
    hashes, ends = [], []
    for segment in segments:
        digest.update(json.dumps(segment.content, sort_keys=True).encode())
        total += segment.tokens
        hashes.append(digest.hexdigest())
        ends.append(total)
    return hashes, ends
