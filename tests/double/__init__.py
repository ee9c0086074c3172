"""A local double of the Anthropic Messages API, for testing the examples offline.

The real SDK talks to it over HTTP (ANTHROPIC_BASE_URL). It checks each request as
the API would, answers from scripted YAML replies, and computes usage. One job per
module:

- `server.py`: `ClaudeDouble`, the HTTP server, routing and recorded requests
- `validation.py`: request checks, with the API's statuses and messages
- `shapes.py`: request fields and tags, read from the SDK's own types
- `models.py`: model names, output limits, cache minimums, prefill, sampling
- `scripts.py`: loading, checking and matching the scripted replies
- `replies.py`: a scripted entry turned into the `Message` for one request
- `tokens.py`: the approximate token counter (usage and `count_tokens`)
- `cache.py`: prompt caching (cache writes and reads)
- `diagnostics.py`: cache diagnostics (why a prefix was not reused)
- `threads.py`: message threads (beta), held on the server side
- `batches.py`: Message Batches (`/v1/messages/batches`), answered at create time
- `sse.py`: the streaming event sequence
- `errors.py`: error statuses, types and the error body

Recorded requests (`ClaudeDouble.requests`) are the POSTs received, in order. A
batch adds one entry for the create (path `/v1/messages/batches`) followed by one
per request inside it (path `/v1/messages/batches#<custom_id>`, body its `params`,
status 200 or its error's), so a test can check each request as if sent alone.
"""

from .scripts import ScriptError
from .server import ClaudeDouble, RecordedRequest

__all__ = ["ClaudeDouble", "RecordedRequest", "ScriptError"]
