"""sign_pdf turns what pyHanko and the token raise into a translated SigningError."""

from __future__ import annotations

import pytest

from egov.contrib.pki.simulator import TrustServicesSimulator
from egov.signing.services import Level, SigningError, sign_pdf
from egov.signing.tests.fixtures import make_pdf
from egov.signing.tests.test_chain_findings import _signer_with_usage, _usage


def test_a_certificate_not_meant_for_signing_is_refused(dev_pki):
    signer = _signer_with_usage(dev_pki, "Người Ký Thử", _usage())
    for level in (Level.B_T, Level.B_LT):
        with pytest.raises(SigningError) as error:
            sign_pdf(make_pdf(), signer=signer, field_name="Sig", level=level)
        assert error.value.message == (
            "Không ký được: chứng thư số của người ký không được cấp cho mục đích ký số."
        )


def test_a_digital_signature_only_certificate_signs_b_lt(dev_pki):
    signer = _signer_with_usage(dev_pki, "Người Ký Thử", _usage(signature=True))
    signed = sign_pdf(make_pdf(), signer=signer, field_name="Sig", level=Level.B_LT)
    assert signed.startswith(b"%PDF-")


@pytest.fixture
def untrusted_tsa(dev_pki):
    # A protocol-true RFC 3161 service whose certificate chains to the untrusted root.
    services = TrustServicesSimulator(
        port=0,
        tsa_certificate=dev_pki.certificate("outsider"),
        tsa_key=dev_pki.private_key("outsider"),
        ocsp_certificate=dev_pki.certificate("ocsp"),
        ocsp_key=dev_pki.private_key("ocsp"),
        authorities={},
    ).start()
    yield services
    services.stop()


def test_a_tsa_outside_the_trust_roots_is_a_translated_error(untrusted_tsa, signer_for, settings):
    settings.EGOV_SIGNING_TSA_URL = untrusted_tsa.base_url + "/tsa"
    with pytest.raises(SigningError) as error:
        sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig", level=Level.B_LT)
    assert error.value.message == (
        "Không ký được: chứng thư số của dịch vụ cấp dấu thời gian không do tổ chức tin cậy "
        "cấp hoặc không kiểm tra được."
    )
