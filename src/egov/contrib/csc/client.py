"""A client of a remote signing service speaking the Cloud Signature Consortium API v2, where
the signer confirms each request on their phone.

Flow: ``oauth2/token`` (client credentials: the service authorizes our system, the user is named
by ``userID``) → ``credentials/list`` → ``credentials/info`` → ``credentials/authorize`` with
the hashes (HTTP 202 + ``handle``: the request is on the phone) → ``credentials/authorizeCheck``
until the SAD comes → ``signatures/signHash``."""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from django.conf import settings
from django.utils.translation import gettext as _

from egov.contrib.csc import protocol


class CscError(Exception):
    """The remote signing service could not sign; ``str(exc)`` is for the user."""

    def __init__(self, message: str, *, error: str = "", description: str = "") -> None:
        super().__init__(message)
        self.error, self.description = error, description


class CscDeclined(CscError):
    pass


class CscTimeout(CscError):
    pass


class CscBadCredentials(CscError):
    pass


class CscUnavailable(CscError):
    pass


class CscUnknownCredential(CscError):
    pass


class CscInvalidSad(CscError):
    pass


class CscRejected(CscError):
    pass


@dataclass(frozen=True)
class CredentialInfo:
    credential_id: str
    chain: tuple[x509.Certificate, ...]  # as the service sent it: the signer's first
    sign_algos: tuple[str, ...]
    key_length: int
    auth_mode: str
    scal: str
    multisign: int

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]


class CscClient:
    def __init__(
        self,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        timeout: float = 10.0,
        confirm_timeout: float = 120.0,
        poll_interval: float = 2.0,
        session: requests.Session | None = None,
    ) -> None:
        """``base_url`` is the service's base URI ending in ``/csc/v2``; ``timeout`` bounds
        each HTTP call; ``confirm_timeout`` how long the signer may take on the phone;
        ``poll_interval`` the pause between two ``credentials/authorizeCheck`` calls."""
        self.base_url = base_url.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self.timeout, self.confirm_timeout = timeout, confirm_timeout
        self.poll_interval = poll_interval
        self.session = session or requests.Session()
        self._token = ""
        self._token_expires = 0.0
        self._oauth2_url = ""

    @classmethod
    def from_settings(cls) -> CscClient:
        if not settings.EGOV_CSC_BASE_URL:
            raise CscUnavailable(_("Chưa cấu hình dịch vụ ký số từ xa."))
        return cls(
            settings.EGOV_CSC_BASE_URL,
            client_id=settings.EGOV_CSC_CLIENT_ID,
            client_secret=settings.EGOV_CSC_CLIENT_SECRET,
            timeout=settings.EGOV_CSC_TIMEOUT_SECONDS,
            confirm_timeout=settings.EGOV_CSC_CONFIRM_TIMEOUT_SECONDS,
            poll_interval=settings.EGOV_CSC_POLL_SECONDS,
        )

    # --- methods of the API --------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        return self._call("info", {}, authorized=False)[1]

    def list_credentials(self, user_id: str) -> list[str]:
        answer = self._call("credentials/list", {"userID": user_id})[1]
        ids = answer.get("credentialIDs")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise _garbled()
        return ids

    def credential_info(self, credential_id: str) -> CredentialInfo:
        answer = self._call(
            "credentials/info",
            {"credentialID": credential_id, "certificates": "chain", "authInfo": True},
        )[1]
        try:
            key, cert, auth = answer["key"], answer["cert"], answer["auth"]
            chain = tuple(
                x509.load_der_x509_certificate(base64.b64decode(c)) for c in cert["certificates"]
            )
            info = CredentialInfo(
                credential_id=credential_id,
                chain=chain,
                sign_algos=tuple(str(a) for a in key["algo"]),
                key_length=int(key["len"]),
                auth_mode=str(auth["mode"]),
                scal=str(answer.get("SCAL", "1")),
                multisign=int(answer["multisign"]),
            )
        except (KeyError, TypeError, ValueError):
            raise _garbled() from None
        if not chain:
            raise _garbled()
        if key.get("status") != "enabled" or cert.get("status", "valid") != "valid":
            raise CscRejected(
                _("Chứng thư số trên dịch vụ ký số từ xa đang bị khóa hoặc không còn hiệu lực."),
                error="credential_disabled",
            )
        return info

    def authorize(
        self,
        credential_id: str,
        *,
        hashes: Sequence[bytes],
        hash_algorithm_oid: str,
        description: str = "",
    ) -> tuple[str, str]:
        """Ask the signer to confirm; returns ``("SAD", value)`` if the service answered at
        once or ``("handle", value)`` when the request waits on the phone."""
        status, answer = self._call(
            "credentials/authorize",
            {
                "credentialID": credential_id,
                "numSignatures": len(hashes),
                "hashes": [base64.b64encode(h).decode() for h in hashes],
                "hashAlgorithmOID": hash_algorithm_oid,
                "description": description[:500],
            },
        )
        return _authorization(status, answer)

    def check_authorization(self, handle: str) -> tuple[str, str]:
        status, answer = self._call("credentials/authorizeCheck", {"handle": handle})
        return _authorization(status, answer)

    def authorize_on_phone(
        self,
        credential_id: str,
        *,
        hashes: Sequence[bytes],
        hash_algorithm_oid: str,
        description: str = "",
    ) -> str:
        """Push the request to the signer's phone and wait for the answer; returns the SAD."""
        deadline = time.monotonic() + self.confirm_timeout
        kind, value = self.authorize(
            credential_id,
            hashes=hashes,
            hash_algorithm_oid=hash_algorithm_oid,
            description=description,
        )
        while kind == "handle":
            if time.monotonic() >= deadline:
                raise CscTimeout(
                    _("Đã hết thời gian chờ người ký xác nhận trên điện thoại."), error="timeout"
                )
            time.sleep(self.poll_interval)
            kind, value = self.check_authorization(value)
        return value

    def sign_hash(
        self,
        credential_id: str,
        *,
        sad: str,
        hashes: Sequence[bytes],
        sign_algo: str,
        hash_algorithm_oid: str | None = None,
    ) -> list[bytes]:
        params: dict[str, Any] = {
            "credentialID": credential_id,
            "SAD": sad,
            "hashes": [base64.b64encode(h).decode() for h in hashes],
            "signAlgo": sign_algo,
        }
        if hash_algorithm_oid is not None:
            params["hashAlgorithmOID"] = hash_algorithm_oid
        answer = self._call("signatures/signHash", params)[1]
        values = answer.get("signatures")
        if not isinstance(values, list) or len(values) != len(hashes):
            raise _garbled()
        try:
            return [base64.b64decode(v, validate=True) for v in values]
        except (TypeError, ValueError):
            raise _garbled() from None

    def sign_digest(
        self, credential: CredentialInfo, digest: bytes, *, digest_name: str, description: str
    ) -> bytes:
        """Sign one digest: confirmation on the phone, then signHash; the signature is checked
        against the credential's certificate before it is returned."""
        [signature] = self.sign_digests(
            credential, [digest], digest_name=digest_name, description=description
        )
        return signature

    def sign_digests(
        self,
        credential: CredentialInfo,
        digests: Sequence[bytes],
        *,
        digest_name: str,
        description: str,
    ) -> list[bytes]:
        """Sign several digests after one confirmation on the phone (``numSignatures`` = their
        count; the caller keeps it within ``credential.multisign``), then one signHash; each
        signature is checked against the credential's certificate before it is returned."""
        public_key = credential.certificate.public_key()
        key_algorithm = "rsa" if isinstance(public_key, rsa.RSAPublicKey) else "ec"
        sign_algo = (
            protocol.sign_algo_for(key_algorithm, digest_name)
            if digest_name in protocol.DIGEST_OIDS
            and isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
            else ""
        )
        if sign_algo not in credential.sign_algos:  # checked before the phone rings
            raise CscRejected(
                _("Dịch vụ ký số từ xa không hỗ trợ thuật toán ký này."), error="signAlgo"
            )
        sad = self.authorize_on_phone(
            credential.credential_id,
            hashes=digests,
            hash_algorithm_oid=protocol.DIGEST_OIDS[digest_name],
            description=description,
        )
        signatures = self.sign_hash(
            credential.credential_id, sad=sad, hashes=digests, sign_algo=sign_algo
        )
        prehashed = utils.Prehashed(protocol.hash_algorithm(digest_name))
        for digest, signature in zip(digests, signatures, strict=True):
            try:
                if isinstance(public_key, rsa.RSAPublicKey):
                    public_key.verify(signature, digest, padding.PKCS1v15(), prehashed)
                elif isinstance(public_key, ec.EllipticCurvePublicKey):
                    public_key.verify(signature, digest, ec.ECDSA(prehashed))
            except InvalidSignature:
                raise CscError(
                    _("Chữ ký do dịch vụ ký số từ xa trả về không khớp với chứng thư số."),
                    error="signature_mismatch",
                ) from None
        return signatures

    # --- HTTP ----------------------------------------------------------------------------
    def _call(
        self, method: str, params: dict[str, Any], *, authorized: bool = True
    ) -> tuple[int, dict[str, Any]]:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._access_token()}"} if authorized else {}
            status, answer = self._post(f"{self.base_url}/{method}", json=params, headers=headers)
            if status == 401 and authorized and attempt == 1:
                self._token = ""  # expired or revoked: one new token, once
                continue
            break
        _raise_for_error(status, answer, method=method)
        return status, answer

    def _access_token(self) -> str:
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        if not self._oauth2_url:
            oauth2 = self.info().get("oauth2")
            self._oauth2_url = str(oauth2).rstrip("/") if oauth2 else self.base_url
        status, answer = self._post(
            f"{self._oauth2_url}/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
        )
        if status >= 400:  # whatever the reason given, our system's credentials were refused
            raise CscBadCredentials(
                _("Dịch vụ ký số từ xa không chấp nhận tài khoản kết nối của hệ thống."),
                error=str(answer.get("error", "")),
                description=str(answer.get("error_description", "")),
            )
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise _garbled()
        lifetime = answer.get("expires_in", 3600)
        lifetime = lifetime if isinstance(lifetime, int) else 3600
        self._token = token
        self._token_expires = time.monotonic() + max(lifetime - 30, 1)
        return token

    def _post(self, url: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        try:
            response = self.session.post(url, timeout=self.timeout, **kwargs)
        except requests.RequestException:
            raise CscUnavailable(
                _("Không kết nối được dịch vụ ký số từ xa, vui lòng thử lại sau."),
                error="unreachable",
            ) from None
        if response.status_code >= 500:
            raise CscUnavailable(
                _("Dịch vụ ký số từ xa tạm thời không hoạt động, vui lòng thử lại sau."),
                error=f"http_{response.status_code}",
            )
        try:
            answer = response.json()
        except ValueError:
            raise _garbled() from None
        if not isinstance(answer, dict):
            raise _garbled()
        return response.status_code, answer


def _authorization(status: int, answer: dict[str, Any]) -> tuple[str, str]:
    if status == 200 and isinstance(answer.get("SAD"), str):
        return "SAD", answer["SAD"]
    if status == 202 and isinstance(answer.get("handle"), str):
        return "handle", answer["handle"]
    raise _garbled()


def _garbled() -> CscError:
    return CscError(_("Dịch vụ ký số từ xa trả lời không đúng giao thức."), error="protocol")


AUTHORIZATION_METHODS = ("credentials/authorize", "credentials/authorizeCheck")


def _raise_for_error(status: int, answer: dict[str, Any], *, method: str) -> None:
    if status < 400:
        return
    error = str(answer.get("error", ""))
    description = str(answer.get("error_description", ""))
    found = {"error": error, "description": description}
    if status == 401 or error in ("invalid_token", "unauthorized_client"):
        raise CscBadCredentials(
            _("Dịch vụ ký số từ xa không chấp nhận tài khoản kết nối của hệ thống."), **found
        )
    if method in AUTHORIZATION_METHODS and error == protocol.ERROR_DECLINED:
        raise CscDeclined(_("Người ký đã từ chối ký trên điện thoại."), **found)
    if method in AUTHORIZATION_METHODS and error == protocol.ERROR_EXPIRED:
        raise CscTimeout(_("Đã hết thời gian chờ người ký xác nhận trên điện thoại."), **found)
    # The specification gives most errors as invalid_request; its error_description tells which.
    if description == "Invalid parameter credentialID":
        raise CscUnknownCredential(
            _("Không tìm thấy chứng thư số này trên dịch vụ ký số từ xa."), **found
        )
    if description in ("Invalid parameter SAD", "SAD expired"):
        raise CscInvalidSad(
            _("Xác nhận ký không hợp lệ hoặc đã hết hạn, cần xác nhận lại trên điện thoại."),
            **found,
        )
    raise CscRejected(_("Dịch vụ ký số từ xa từ chối yêu cầu ký."), **found)
