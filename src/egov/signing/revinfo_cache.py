"""Fetched OCSP responses and CRLs, kept a short while for the next signatures of this process.

Every B-LT signature needs its chain's revocation data; with the development PKI that is two
CRLs and one OCSP response, fetched over HTTP each time. A kept answer is used again only while

- it is within its own validity: thisUpdate ≤ now < nextUpdate (an answer without nextUpdate is
  never kept), and
- it is younger than ``EGOV_SIGNING_REVOCATION_CACHE_SECONDS`` (60 s by default; 0 keeps
  nothing).

So a revocation is noticed at most that long after the CA published it: shorter than CAs
themselves take (CRLs come out hours apart; OCSP responders hand out answers made in advance),
and never past what the answer itself says. An answer that a certificate is revoked is kept
like any other and stays "revoked": keeping saves a round trip, it never turns an answer into
another. Failed fetches are not kept. What is kept is the bytes received, parsed again for
each use, and every use validates the answer again (signature, responder, validity).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Hashable

import requests
from asn1crypto import cms, crl, ocsp, pem, x509
from django.conf import settings
from django.utils import timezone
from pyhanko_certvalidator import errors
from pyhanko_certvalidator.authority import Authority
from pyhanko_certvalidator.fetchers.api import Fetchers
from pyhanko_certvalidator.fetchers.common_utils import FetchBudget, FetchKind
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.fetchers.requests_fetchers.cert_fetch_client import (
    RequestsCertificateFetcher,
)
from pyhanko_certvalidator.fetchers.requests_fetchers.crl_client import RequestsCRLFetcher
from pyhanko_certvalidator.fetchers.requests_fetchers.ocsp_client import RequestsOCSPFetcher
from pyhanko_certvalidator.util import issuer_serial

TIMEOUT_SECONDS = 10
# thisUpdate, nextUpdate
_Window = tuple[dt.datetime, dt.datetime]


class _Kept:
    """Answers by key: (monotonic time received, nextUpdate, DER)."""

    def __init__(self) -> None:
        self._answers: dict[Hashable, tuple[float, dt.datetime, bytes]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            kept = self._answers.get(key)
        if kept is None:
            return None
        received, next_update, der = kept
        if usable(received, next_update, now=timezone.now(), clock=time.monotonic()):
            return der
        with self._lock:
            if self._answers.get(key) is kept:
                del self._answers[key]
        return None

    def put(self, key: Hashable, der: bytes, window: _Window | None) -> None:
        if window is None or _max_age() <= 0:
            return
        this_update, next_update = window
        if not this_update <= timezone.now() < next_update:
            return
        with self._lock:
            self._answers[key] = (time.monotonic(), next_update, der)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def _max_age() -> float:
    return float(settings.EGOV_SIGNING_REVOCATION_CACHE_SECONDS)


def usable(received: float, next_update: dt.datetime, *, now: dt.datetime, clock: float) -> bool:
    """Whether an answer received at monotonic time ``received`` may still be used."""
    return now < next_update and 0 <= clock - received < _max_age()


KEPT = _Kept()


def _crl_window(certificate_list: crl.CertificateList) -> _Window | None:
    tbs = certificate_list["tbs_cert_list"]
    this_update, next_update = tbs["this_update"].native, tbs["next_update"].native
    if not isinstance(this_update, dt.datetime) or not isinstance(next_update, dt.datetime):
        return None
    return this_update, next_update


def _ocsp_window(response: ocsp.OCSPResponse) -> _Window | None:
    """The span in which every single response of ``response`` is valid."""
    answers = response["response_bytes"]["response"].parsed["tbs_response_data"]["responses"]
    starts, ends = [], []
    for answer in answers:
        starts.append(answer["this_update"].native)
        ends.append(answer["next_update"].native)
    if not answers or not all(isinstance(moment, dt.datetime) for moment in (*starts, *ends)):
        return None
    return max(starts), min(ends)


def _window_or_none(read: object, value: object) -> _Window | None:
    # A malformed answer is not kept; what it means is left to the validation that follows.
    try:
        return read(value)  # type: ignore[operator, no-any-return]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class _KeepingOcspFetcher(RequestsOCSPFetcher):
    async def fetch(
        self, cert: x509.Certificate | cms.AttributeCertificateV2, authority: Authority
    ) -> ocsp.OCSPResponse:
        tag = (issuer_serial(cert), authority.hashable)

        async def kept_or_fetched() -> ocsp.OCSPResponse:
            kept = KEPT.get(("ocsp", *tag))
            if kept is not None:
                return ocsp.OCSPResponse.load(kept)
            response: ocsp.OCSPResponse = await self._fetch(cert, authority)
            KEPT.put(("ocsp", *tag), response.dump(), _window_or_none(_ocsp_window, response))
            return response

        answer: ocsp.OCSPResponse = await self._perform_fetch(tag, kept_or_fetched)  # type: ignore[no-untyped-call]
        return answer


class _KeepingCrlFetcher(RequestsCRLFetcher):
    async def _fetch_single(self, url: str) -> crl.CertificateList:
        async def kept_or_fetched() -> crl.CertificateList:
            kept = KEPT.get(("crl", url))
            if kept is not None:
                return crl.CertificateList.load(kept)
            self._charge(FetchKind.CRL)
            try:
                response = await self._get(url, acceptable_content_types=("application/pkix-crl",))
                data = response.content
                if pem.detect(data):
                    _, _, data = pem.unarmor(data)
                fetched = crl.CertificateList.load(data)
            except (ValueError, requests.RequestException) as exc:
                raise errors.CRLFetchError(f"Failure to fetch CRL from URL {url}") from exc
            KEPT.put(("crl", url), data, _window_or_none(_crl_window, fetched))
            return fetched

        fetched: crl.CertificateList = await self._perform_fetch(url, kept_or_fetched)  # type: ignore[no-untyped-call]
        return fetched


class KeepingFetcherBackend(RequestsFetcherBackend):
    """pyHanko's ``requests`` fetchers, with OCSP responses and CRLs kept (see the module)."""

    def __init__(self) -> None:
        super().__init__(per_request_timeout=TIMEOUT_SECONDS)

    def get_fetchers(self) -> Fetchers:
        budget = FetchBudget(self.limits)
        timeout = self.per_request_timeout
        return Fetchers(
            ocsp_fetcher=_KeepingOcspFetcher(per_request_timeout=timeout, budget=budget),
            crl_fetcher=_KeepingCrlFetcher(  # type: ignore[no-untyped-call]
                per_request_timeout=timeout, budget=budget
            ),
            cert_fetcher=RequestsCertificateFetcher(per_request_timeout=timeout, budget=budget),
        )
