"""A small OpenID Connect provider playing the national SSO in tests and local trials:
discovery, authorization code flow (the "user" is the one the test chose) with PKCE (S256,
checked at the token endpoint), RS256-signed id_tokens carrying the nonce and the assurance
level, userinfo with only the claims the granted scopes allow, JWKS and (optionally)
end_session. The claim names for the personal ID, date of birth and phone are not published
(shared/domain/integration.md §3.2), so they are configurable on our side and chosen by the
test here. ``misbehave`` makes it produce what a broken or hostile provider would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from egov.contrib.simulation import HttpSimulator

# Which claims each scope releases (the personal ID sits in "profile" unless a test moves it).
DEFAULT_SCOPE_CLAIMS: dict[str, set[str]] = {
    "profile": {"name", "family_name", "given_name", "so_dinh_danh", "ngay_sinh"},
    "email": {"email", "email_verified"},
    "phone": {"phone_number", "so_dien_thoai"},
}


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class OidcSimulator(HttpSimulator):
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uris: list[str],
        *,
        scope_claims: dict[str, set[str]] | None = None,
        end_session: bool = True,
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris
        self.scope_claims = scope_claims or DEFAULT_SCOPE_CLAIMS
        self.end_session = end_session
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.user: dict[str, Any] = {}
        self.acr: str | None = "LoA1"
        # Tests set: "foreign_key", "alg_none", "hs256_public_key", "other_sub",
        # "foreign_nonce", "no_nonce", "expired", "wrong_audience", "hang".
        self.misbehave: set[str] = set()
        self.hang_seconds = 3.0
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.requests: list[dict[str, str]] = []  # authorization requests as received
        self.logouts: list[dict[str, str]] = []

    @property
    def issuer(self) -> str:
        return self.base_url

    def rotate_key(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)

    def _discovery(self) -> dict[str, Any]:
        config = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/oauth2/authorize",
            "token_endpoint": f"{self.issuer}/oauth2/token",
            "userinfo_endpoint": f"{self.issuer}/oauth2/userinfo",
            "jwks_uri": f"{self.issuer}/oauth2/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", *self.scope_claims],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": ["LoA1", "LoA2"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }
        if self.end_session:
            config["end_session_endpoint"] = f"{self.issuer}/oauth2/logout"
        return config

    def handle_get(self, handler: BaseHTTPRequestHandler) -> None:
        if "hang" in self.misbehave:
            time.sleep(self.hang_seconds)
        url = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self.answer(handler, 200, self._discovery())
        elif url.path == "/oauth2/jwks":
            numbers = self.key.public_key().public_numbers()
            key = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid}
            self.answer(
                handler, 200, {"keys": [{**key, "n": _b64(numbers.n), "e": _b64(numbers.e)}]}
            )
        elif url.path == "/oauth2/authorize":
            self.requests.append(query)
            if query.get("client_id") != self.client_id or query.get("redirect_uri") not in (
                self.redirect_uris
            ):
                self.answer(handler, 400, {"error": "invalid_client"})
                return
            if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
                self.answer(handler, 400, {"error": "invalid_request"})
                return
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "nonce": query.get("nonce"),
                "redirect_uri": query["redirect_uri"],
                "challenge": query["code_challenge"],
                "scopes": set((query.get("scope") or "").split()),
            }
            back = urlencode({"code": code, "state": query.get("state", "")})
            target = query["redirect_uri"] + "?" + back
            handler.send_response(302)
            handler.send_header("Location", target)
            handler.end_headers()
        elif url.path == "/oauth2/userinfo":
            token = (handler.headers.get("Authorization") or "").removeprefix("Bearer ")
            if token not in self.tokens:
                self.answer(handler, 401, {"error": "invalid_token"})
                return
            self.answer(handler, 200, self.tokens[token])
        elif url.path == "/oauth2/logout" and self.end_session:
            self.logouts.append(query)
            handler.send_response(302)
            handler.send_header("Location", query.get("post_logout_redirect_uri", self.issuer))
            handler.end_headers()
        else:
            self.answer(handler, 404, {"error": "not_found"})

    def _released(self, scopes: set[str]) -> dict[str, Any]:
        allowed = {"sub"}
        for scope in scopes:
            allowed |= self.scope_claims.get(scope, set())
        return {k: v for k, v in self.user.items() if k in allowed}

    def _id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": self.user["sub"],
            "iss": self.issuer,
            "aud": "someone-else" if "wrong_audience" in self.misbehave else self.client_id,
            "iat": now - (3600 if "expired" in self.misbehave else 0),
            "exp": now + (-1800 if "expired" in self.misbehave else 300),
            "auth_time": now,
        }
        if self.acr is not None:
            claims["acr"] = self.acr
        nonce = "nonce-we-never-sent" if "foreign_nonce" in self.misbehave else grant["nonce"]
        if nonce and "no_nonce" not in self.misbehave:
            claims["nonce"] = nonce
        if "alg_none" in self.misbehave:
            return jwt.encode(claims, "", algorithm="none", headers={"kid": self.kid})
        if "hs256_public_key" in self.misbehave:
            # The provider's public key (as published) used as an HMAC secret.
            numbers = self.key.public_key().public_numbers()
            secret = (_b64(numbers.n) + _b64(numbers.e)).encode()
            header = base64.urlsafe_b64encode(
                b'{"alg":"HS256","typ":"JWT","kid":"' + self.kid.encode() + b'"}'
            ).rstrip(b"=")
            body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
            signature = hmac.new(secret, header + b"." + body, hashlib.sha256).digest()
            signed = header + b"." + body + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")
            return signed.decode()
        key = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if "foreign_key" in self.misbehave
            else self.key
        )
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        if "hang" in self.misbehave:
            time.sleep(self.hang_seconds)
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
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if grant["redirect_uri"] != form.get("redirect_uri") or challenge != grant["challenge"]:
            self.answer(handler, 400, {"error": "invalid_grant"})
            return
        released = self._released(grant["scopes"])
        if "other_sub" in self.misbehave:
            released["sub"] = self.user["sub"] + "-khac"
        access = secrets.token_urlsafe(24)
        self.tokens[access] = released
        self.answer(
            handler,
            200,
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(grant),
            },
        )
