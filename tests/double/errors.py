"""API errors: the exception the double raises and the JSON body the real API sends.

Status codes, error types and the body shape follow the "Errors" page of the API
reference: `{"type": "error", "error": {"type", "message"}, "request_id"}`.
"""

import secrets
import string

# Each HTTP status the API documents, with its error type.
ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}

DEFAULT_MESSAGES: dict[str, str] = {
    "invalid_request_error": "Invalid request",
    "authentication_error": "invalid x-api-key",
    "billing_error": "Your credit balance is too low to access the Claude API.",
    "permission_error": (
        "Your API key does not have permission to use the specified resource."
    ),
    "not_found_error": "Not found",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "rate_limit_error": "Number of request tokens has exceeded your rate limit.",
    "api_error": "Internal server error",
    "timeout_error": "Request timed out",
    "overloaded_error": "Overloaded",
}

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str) -> str:
    """An id shaped like the API's: `msg_01...`, `toolu_01...`, `req_01...`."""
    return prefix + "01" + "".join(secrets.choice(_ALPHABET) for _ in range(22))


class ApiError(Exception):
    """A request the API answers with an error status."""

    def __init__(
        self,
        status: int,
        kind: str,
        message: str,
        headers: dict[str, str] | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(f"{status} {kind}: {message}")
        self.status = status
        self.kind = kind
        self.message = message
        self.headers = headers or {}
        self.details = details  # `error.details`, e.g. {"error_code": ...}

    def body(self, request_id: str) -> dict[str, object]:
        error: dict[str, object] = {"type": self.kind, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"type": "error", "error": error, "request_id": request_id}


class AuthoringError(ApiError):
    """A mistake in a test, not in the code under test: a loud 500, never retried."""

    def __init__(self, message: str) -> None:
        super().__init__(500, "api_error", message, {"x-should-retry": "false"})


def invalid(message: str) -> ApiError:
    """The 400 `invalid_request_error` that most validation failures produce."""
    return ApiError(400, "invalid_request_error", message)
