"""What a signature is validated against: the configured trust, and the certificates and
revocation data that the file carries.

Revocation data comes from two places. PAdES B-LT puts it in the document security store
(DSS, shared by every signature of the file). Adobe Acrobat, and many Vietnamese signing
tools, put it inside the signature itself instead: the signed attribute
adbe-revocationInfoArchival (OID 1.2.840.113583.1.1.8, ISO 32000-1, PKCS#7 signatures)
holding CRLs and OCSP responses fetched just before signing. Both count; the
archive of one signature serves that signature only.

One ``Checking`` per signature builds its validation contexts (at the timestamp's time or at
the verification time, hard-fail for the signer, soft-fail for the timestamp) over one
certificate registry and the same parsed revocation data, so the file's data is parsed and
indexed once per signature rather than once per context; the trust roots' manager is built
once per process (``trust.trust_manager``). Each context still validates everything itself.

The items of a DSS (certificates, OCSP responses, CRLs) are parsed once and kept, keyed by
their bytes: files signed through the same CA carry the same few, and a kept object carries
what asn1crypto worked out the first time (parsed fields, extensions, hashes), which a
verification otherwise redoes for every file. Kept per thread, since asn1crypto fills those
in lazily and without a lock (a half-parsed object must never be seen by another thread);
small items only, and a bounded number of them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TypeVar

from asn1crypto import core
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.generic import IndirectObject, StreamObject
from pyhanko.sign.general import (
    MultivaluedAttributeError,
    NonexistentAttributeError,
    find_unique_cms_attribute,
)
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.ltv.poe import POEManager
from pyhanko_certvalidator.registry import CertificateRegistry
from pyhanko_certvalidator.revinfo.archival import CRLContainer, OCSPContainer
from pyhanko_certvalidator.revinfo.manager import RevinfoManager

from egov.signing import trust
from egov.signing.revinfo_cache import KeepingFetcherBackend

_FETCHERS = KeepingFetcherBackend()

# A CA certificate or an OCSP response is 1-5 kB; a CRL of a few hundred entries fits too.
KEPT_ITEM_MAX_BYTES = 32 * 1024
KEPT_ITEMS_PER_THREAD = 64
_kept = threading.local()
_Item = TypeVar("_Item", asn1_x509.Certificate, asn1_ocsp.OCSPResponse, asn1_crl.CertificateList)


@dataclass(frozen=True)
class Evidence:
    certificates: tuple[asn1_x509.Certificate, ...] = ()
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            certificates=self.certificates + other.certificates,
            ocsps=self.ocsps + other.ocsps,
            crls=self.crls + other.crls,
        )


def parsed(kind: type[_Item], data: bytes) -> _Item:
    """``kind.load(data)``, the object kept from an earlier call with the same bytes when this
    thread has one (see the module)."""
    if len(data) > KEPT_ITEM_MAX_BYTES:
        return kind.load(data)
    kept: OrderedDict[tuple[type, bytes], _Item] | None = getattr(_kept, "items", None)
    if kept is None:
        kept = _kept.items = OrderedDict()
    key = (kind, data)
    item = kept.get(key)
    if item is not None:
        kept.move_to_end(key)
        return item
    item = kind.load(data)
    kept[key] = item
    if len(kept) > KEPT_ITEMS_PER_THREAD:
        kept.popitem(last=False)
    return item


def _read(reference: IndirectObject, kind: type[_Item], purpose: DecodePurpose) -> _Item:
    stream = reference.get_object()
    if not isinstance(stream, StreamObject):
        # Damaged input, as pyHanko's reader would find it (``verification._DAMAGED``).
        raise TypeError("a DSS entry is not a stream")
    return parsed(kind, stream.read_data(purpose))


def from_dss(dss: DocumentSecurityStore) -> Evidence:
    """The DSS's certificates, OCSP responses and CRLs."""
    return Evidence(
        certificates=tuple(
            _read(ref, asn1_x509.Certificate, DecodePurpose.CERTIFICATE)
            for ref in dss.certs.values()
        ),
        ocsps=tuple(
            _read(ref, asn1_ocsp.OCSPResponse, DecodePurpose.OCSP_RESPONSE) for ref in dss.ocsps
        ),
        crls=tuple(_read(ref, asn1_crl.CertificateList, DecodePurpose.CRL) for ref in dss.crls),
    )


def from_signature(signature: EmbeddedPdfSignature) -> Evidence:
    """The CRLs and OCSP responses in the signature's adbe-revocationInfoArchival attribute
    (none when it has none, or more than one)."""
    try:
        archive = find_unique_cms_attribute(
            signature.signer_info["signed_attrs"], "adobe_revocation_info_archival"
        )
    except (NonexistentAttributeError, MultivaluedAttributeError):
        return Evidence()
    crls, ocsps = archive["crl"], archive["ocsp"]
    return Evidence(
        crls=() if isinstance(crls, core.Void) else tuple(crls),
        ocsps=() if isinstance(ocsps, core.Void) else tuple(ocsps),
    )


class Checking:
    """The validation contexts of one signature (see the module)."""

    def __init__(self, evidence: Evidence, *, fetch: bool) -> None:
        self.fetch = fetch
        self.fetchers = _FETCHERS.get_fetchers() if fetch else None
        # A store of certificates for path building (it confers no trust).
        self.registry = CertificateRegistry.build(
            [*evidence.certificates, *trust.other_certificates()],
            cert_fetcher=self.fetchers.cert_fetcher if self.fetchers is not None else None,
        )
        self.crls = [CRLContainer(certificate_list) for certificate_list in evidence.crls]
        self.ocsps = [c for response in evidence.ocsps for c in OCSPContainer.load_multi(response)]

    def context(self, moment: dt.datetime, revocation_mode: str) -> ValidationContext:
        # A revocation store of its own: it remembers which CRL issuers it validated, and that
        # holds at its moment only.
        revinfo = RevinfoManager(
            certificate_registry=self.registry,
            poe_manager=POEManager(),
            crls=self.crls,
            ocsps=self.ocsps,
            fetchers=self.fetchers,
        )
        return ValidationContext(
            trust_manager=trust.trust_manager(),
            certificate_registry=self.registry,
            revinfo_manager=revinfo,
            moment=moment,
            allow_fetching=self.fetch,
            revocation_mode=revocation_mode,
            # Revocation data issued after the signing time still tells whether the
            # certificate was revoked at that time (a CRL that does not list it; an OCSP
            # "good").
            retroactive_revinfo=True,
        )


def signing_context(extra_certificates: list[asn1_x509.Certificate]) -> ValidationContext:
    """The context pyHanko checks a signer's chain in before signing (and fetches its
    revocation data in, for B-LT): now, hard-fail, fetching through the kept answers."""
    return ValidationContext(
        trust_manager=trust.trust_manager(),
        other_certs=[*trust.other_certificates(), *extra_certificates],
        allow_fetching=True,
        revocation_mode="hard-fail",
        fetcher_backend=_FETCHERS,
    )
