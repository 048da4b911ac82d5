"""A small OpenID Connect provider playing the national SSO in tests and local trials:
discovery, authorization code flow (the "user" is the one the test chose), token endpoint
with RS256-signed id_tokens, userinfo and JWKS. The claim names for the personal ID, date of
birth and phone are not published (shared/domain/integration.md §3.2), so they are
configurable on our side and chosen by the test here."""

from __future__ import annotations

import base64
import secrets
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from egov.contrib.simulation import HttpSimulator


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class OidcSimulator(HttpSimulator):
    def __init__(self, client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.user: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}

    @property
    def issuer(self) -> str:
        return self.base_url

    def handle_get(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self.answer(
                handler,
                200,
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/oauth2/authorize",
                    "token_endpoint": f"{self.issuer}/oauth2/token",
                    "userinfo_endpoint": f"{self.issuer}/oauth2/userinfo",
                    "jwks_uri": f"{self.issuer}/oauth2/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "scopes_supported": ["openid", "profile", "email"],
                    "token_endpoint_auth_methods_supported": [
                        "client_secret_post",
                        "client_secret_basic",
                    ],
                },
            )
        elif url.path == "/oauth2/jwks":
            numbers = self.key.public_key().public_numbers()
            key = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid}
            self.answer(
                handler, 200, {"keys": [{**key, "n": _b64(numbers.n), "e": _b64(numbers.e)}]}
            )
        elif url.path == "/oauth2/authorize":
            if query.get("client_id") != self.client_id or query.get("redirect_uri") not in (
                self.redirect_uris
            ):
                self.answer(handler, 400, {"error": "invalid_client"})
                return
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"]}
            target = (
                query["redirect_uri"]
                + "?"
                + urlencode({"code": code, "state": query.get("state", "")})
            )
            handler.send_response(302)
            handler.send_header("Location", target)
            handler.end_headers()
        elif url.path == "/oauth2/userinfo":
            token = (handler.headers.get("Authorization") or "").removeprefix("Bearer ")
            if token not in self.tokens:
                self.answer(handler, 401, {"error": "invalid_token"})
                return
            self.answer(handler, 200, self.tokens[token])
        else:
            self.answer(handler, 404, {"error": "not_found"})

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        if urlsplit(handler.path).path != "/oauth2/token":
            self.answer(handler, 404, {"error": "not_found"})
            return
        form = {k: v[0] for k, v in parse_qs(self.body(handler).decode()).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = handler.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        grant = self.codes.pop(form.get("code", ""), None)
        if (client_id, secret) != (self.client_id, self.client_secret) or grant is None:
            self.answer(handler, 400, {"error": "invalid_grant"})
            return
        if grant["redirect_uri"] != form.get("redirect_uri"):
            self.answer(handler, 400, {"error": "invalid_grant"})
            return
        now = int(time.time())
        claims = {"sub": self.user["sub"], **self.user}
        id_token = jwt.encode(
            {
                **claims,
                "iss": self.issuer,
                "aud": self.client_id,
                "iat": now,
                "exp": now + 300,
                **({"nonce": grant["nonce"]} if grant.get("nonce") else {}),
            },
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        access = secrets.token_urlsafe(24)
        self.tokens[access] = claims
        self.answer(
            handler,
            200,
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )
