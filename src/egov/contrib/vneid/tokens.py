"""Checks on the id_token the provider returns (OpenID Connect Core §3.1.3.7): signature by
a key of the provider's JWKS (cached, fetched again once for an unknown key id), an expected
algorithm, issuer, audience, expiry, the nonce we sent and the minimum assurance level."""

from __future__ import annotations

import hmac
import json
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from egov.contrib.vneid.errors import SsoError, refused, unreachable

LEEWAY_SECONDS = 60


def _jwks_fetch(session: requests.Session, jwks_uri: str) -> list[dict[str, Any]]:
    try:
        response = session.get(jwks_uri)
        response.raise_for_status()
        keys = response.json().get("keys")
    except (requests.RequestException, ValueError, AttributeError) as exc:
        raise unreachable() from exc
    if not isinstance(keys, list):
        raise refused("jwks_invalid")
    cache.set(_cache_key(jwks_uri), keys, settings.EGOV_SSO_JWKS_CACHE_SECONDS)
    return [key for key in keys if isinstance(key, dict)]


def _cache_key(jwks_uri: str) -> str:
    return "egov:sso:jwks:" + jwks_uri


def _pick(keys: list[dict[str, Any]], kid: str | None, alg: str) -> jwt.PyJWK | None:
    usable = [
        key
        for key in keys
        if key.get("use", "sig") == "sig" and key.get("alg", alg) == alg and "d" not in key
    ]
    if kid is not None:
        usable = [key for key in usable if key.get("kid") == kid]
    if len(usable) != 1:
        return None
    try:
        return jwt.PyJWK(usable[0], algorithm=alg)
    except jwt.PyJWTError:
        return None


def signing_key(session: requests.Session, jwks_uri: str, kid: str | None, alg: str) -> Any:
    cached = cache.get(_cache_key(jwks_uri))
    keys = cached if isinstance(cached, list) else _jwks_fetch(session, jwks_uri)
    found = _pick(keys, kid, alg)
    if found is None and cached is not None:
        found = _pick(_jwks_fetch(session, jwks_uri), kid, alg)  # the provider rotated its keys
    if found is None:
        raise refused("id_token_key_unknown")
    return found.key


def acr_sufficient(acr: object) -> bool:
    levels = list(settings.EGOV_SSO_ACR_LEVELS)
    minimum = settings.EGOV_SSO_MIN_ACR
    if not isinstance(acr, str) or acr not in levels or minimum not in levels:
        return False
    return levels.index(acr) >= levels.index(minimum)


def verify_id_token(
    raw: str,
    *,
    session: requests.Session,
    jwks_uri: str,
    issuer: str,
    client_id: str,
    nonce: str,
) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(raw)
    except jwt.PyJWTError as exc:
        raise refused("id_token_malformed") from exc
    alg = header.get("alg")
    allowed = [a for a in settings.EGOV_SSO_ID_TOKEN_ALGS if a.lower() != "none"]
    if not isinstance(alg, str) or alg not in allowed or alg.upper().startswith("HS"):
        raise refused("id_token_algorithm")
    kid = header.get("kid")
    key = signing_key(session, jwks_uri, kid if isinstance(kid, str) else None, alg)
    try:
        claims: dict[str, Any] = jwt.decode(
            raw,
            key=key,
            algorithms=[alg],
            audience=client_id,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise refused("id_token_expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise refused("id_token_audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise refused("id_token_issuer") from exc
    except jwt.InvalidSignatureError as exc:
        raise refused("id_token_signature") from exc
    except jwt.PyJWTError as exc:
        raise refused("id_token_invalid") from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise refused("id_token_audience")
    sent = claims.get("nonce")
    if not nonce or not isinstance(sent, str) or not hmac.compare_digest(sent, nonce):
        raise refused("nonce_mismatch")
    if not acr_sufficient(claims.get("acr")):
        raise SsoError(
            "acr_insufficient",
            _("Mức độ xác thực của tài khoản định danh điện tử chưa đủ để đăng nhập."),
        )
    jti = claims.get("jti")
    if isinstance(jti, str):  # a token is used once
        ttl = max(int(claims["exp"]) - int(time.time()) + LEEWAY_SECONDS, 1)
        if not cache.add("egov:sso:jti:" + json.dumps([issuer, jti]), 1, ttl):
            raise refused("id_token_replayed")
    return claims
