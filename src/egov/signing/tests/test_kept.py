"""What signing keeps between signatures: fetched OCSP/CRL answers (for a short while, never
past their nextUpdate), the parsed key of a PKCS#12 file (until the file changes), and the
encoded signing-certificate-v2 attribute."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections import Counter

import pytest
from asn1crypto import tsp
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import as_signing_certificate_v2, find_unique_cms_attribute
from pyhanko.sign.validation import EmbeddedPdfSignature

from egov.signing.revinfo_cache import KEPT, usable
from egov.signing.services import Level, SigningError, sign_pdf
from egov.signing.signers import kept_pkcs12_signer
from egov.signing.tests.fixtures import PASSPHRASE, make_pdf
from egov.signing.verification import Verdict, verify_pdf


@pytest.fixture
def nothing_kept():
    KEPT.clear()
    yield
    KEPT.clear()


def _requests_while(trust_services, action) -> Counter[str]:
    before = len(trust_services.requests)
    action()
    return Counter(trust_services.requests[before:])


def _sign(signer) -> bytes:
    return sign_pdf(make_pdf(), signer=signer, field_name="Sig", level=Level.B_LT)


def test_the_next_signature_uses_the_kept_answers(nothing_kept, signer_for, trust_services):
    leader = signer_for("leader")
    signed = []
    first = _requests_while(trust_services, lambda: signed.append(_sign(leader)))
    again = _requests_while(trust_services, lambda: signed.append(_sign(leader)))

    assert first["POST ocsp"] + first["GET ocsp"] >= 1 and first["GET crl"] >= 1
    assert again == Counter({"POST tsa": 1})
    assert [verify_pdf(data).verdict for data in signed] == [Verdict.VALID, Verdict.VALID]


def test_keeping_turned_off_fetches_for_every_signature(
    nothing_kept, signer_for, trust_services, settings
):
    settings.EGOV_SIGNING_REVOCATION_CACHE_SECONDS = 0
    leader = signer_for("leader")
    first = _requests_while(trust_services, lambda: _sign(leader))
    again = _requests_while(trust_services, lambda: _sign(leader))
    fetched = {"POST ocsp", "GET ocsp", "GET crl"}
    assert {k: n for k, n in first.items() if k in fetched} == {
        k: n for k, n in again.items() if k in fetched
    }
    assert again["GET crl"] >= 1


def test_a_revoked_signer_is_refused_after_others_answers_were_kept(nothing_kept, signer_for):
    _sign(signer_for("leader"))
    with pytest.raises(SigningError):
        _sign(signer_for("revoked"))


def test_when_a_kept_answer_may_be_used(settings):
    settings.EGOV_SIGNING_REVOCATION_CACHE_SECONDS = 60
    now = timezone.now()
    next_update = now + dt.timedelta(hours=1)
    assert usable(100.0, next_update, now=now, clock=159.9)
    assert not usable(100.0, next_update, now=now, clock=160.0)  # too old
    assert not usable(100.0, now, now=now, clock=100.0)  # at its nextUpdate
    assert not usable(100.0, next_update, now=now, clock=99.0)
    settings.EGOV_SIGNING_REVOCATION_CACHE_SECONDS = 0
    assert not usable(100.0, next_update, now=now, clock=100.0)


def test_answers_outside_their_validity_are_not_kept(nothing_kept):
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    KEPT.put("expired", b"x", (now - 2 * hour, now - hour))
    KEPT.put("not yet", b"x", (now + hour, now + 2 * hour))
    KEPT.put("no next update", b"x", None)
    KEPT.put("current", b"x", (now - hour, now + hour))
    assert [KEPT.get(key) for key in ("expired", "not yet", "no next update", "current")] == [
        None,
        None,
        None,
        b"x",
    ]


def test_a_pkcs12_signer_is_kept_until_its_file_changes(dev_pki, tmp_path):
    path = tmp_path / "unit.p12"
    shutil.copyfile(dev_pki.pkcs12_path("leader"), path)
    first = kept_pkcs12_signer(path, PASSPHRASE)
    assert kept_pkcs12_signer(path, PASSPHRASE) is first

    renewed = tmp_path / "renewed.p12"
    shutil.copyfile(dev_pki.pkcs12_path("agency"), renewed)
    renewed.replace(path)
    second = kept_pkcs12_signer(path, PASSPHRASE)

    assert second is not first
    assert second.signing_cert is not None and first.signing_cert is not None
    assert second.signing_cert.sha256 != first.signing_cert.sha256
    with pytest.raises(ImproperlyConfigured):
        kept_pkcs12_signer(path, "not the passphrase")


def test_the_signing_certificate_attribute_is_the_one_pyhanko_builds(signer_for):
    leader = signer_for("leader")
    for _ in range(2):  # built, then kept
        signed = _sign(leader)
        reader = PdfFileReader(io.BytesIO(signed))
        _name, _value, field = next(enumerate_sig_fields(reader, filled_status=True))
        signature = EmbeddedPdfSignature(reader, field.get_object(), "Sig")
        value = find_unique_cms_attribute(
            signature.signer_info["signed_attrs"], "signing_certificate_v2"
        )
        assert isinstance(value, tsp.SigningCertificateV2)
        assert value.dump() == as_signing_certificate_v2(leader.signing_cert).dump()
