"""The analyst's MCP server over Streamable HTTP, behind bearer-token authorisation.

Over stdio the server is a subprocess of one client and trusts it. Over HTTP anyone
who can reach the port can call it, so the MCP authorisation spec makes the server an
OAuth 2.1 resource server: every request carries `Authorization: Bearer <token>`, the
server verifies the token, and it checks that the token was issued for this server
(its resource URL) and carries the scope the endpoint requires. The `mcp` SDK does
the HTTP side: with `token_verifier` and `AuthSettings` it answers a missing or
invalid token with 401, a token without the required scope with 403 (both with a
`WWW-Authenticate` header that names the error), and publishes the protected-resource
metadata that tells a client which authorisation server to ask.

What the SDK leaves to you is the verifier. In production it checks a JWT's
signature, issuer, audience and expiry, or asks the authorisation server's
introspection endpoint. `IssuedTokens` keeps a table of token digests instead, so the
example needs no authorisation server; the checks it makes are the same ones.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from starlette.applications import Starlette

from snippets.stage4.mcp_server import build_server

SCOPE = "analytics"  # the scope every call to this server needs
ISSUER = "https://auth.shop.example"  # the authorisation server clients are sent to


# --8<-- [start:verifier]
@dataclass
class IssuedTokens:
    """A token verifier over tokens this process issued (stored as digests only)."""

    resource: str  # the server's URL: a token is good for this server and no other
    issued: dict[str, AccessToken] = field(default_factory=dict, init=False, repr=False)

    def issue(self, client_id: str, scopes: list[str], ttl_s: int = 3600) -> str:
        token = secrets.token_urlsafe(32)
        self.issued[digest(token)] = AccessToken(
            token=digest(token),  # never keep the secret itself
            client_id=client_id,
            scopes=scopes,
            expires_at=int(time.time()) + ttl_s,
            resource=self.resource,
        )
        return token

    async def verify_token(self, token: str) -> AccessToken | None:
        """The access a token grants, or None (the SDK then answers 401)."""
        wanted = digest(token)
        for known, access in self.issued.items():
            if hmac.compare_digest(known, wanted):  # no early exit on a prefix
                return access
        return None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --8<-- [end:verifier]


# --8<-- [start:app]
def http_app(db_path: Path, tokens: IssuedTokens) -> Starlette:
    """An ASGI app serving the analyst's tools at `tokens.resource` (path `/mcp`)."""
    auth = AuthSettings(
        issuer_url=ISSUER,
        resource_server_url=tokens.resource,
        required_scopes=[SCOPE],
        validate_token_resource=True,  # refuse tokens issued for another server
    )
    server = build_server(db_path, token_verifier=tokens, auth=auth)
    return server.streamable_http_app()  # serve it with uvicorn or any ASGI server


# --8<-- [end:app]
