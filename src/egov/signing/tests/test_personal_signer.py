"""Who signs a person's signature: the person's ``PersonalSigningMethod`` record (remote
credential, PKCS#11 key label, development PKCS#12); else, with a remote signing service
configured, the user's CSC credential; else the development PKI issues each user a
certificate on first use; errors in Vietnamese when nothing is configured for them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.db import IntegrityError, transaction

from egov.accounts.models import User
from egov.contrib.csc.signer import CscSigner
from egov.contrib.csc.simulator import CscSimulator, credential_material
from egov.signing import signers as signers_module
from egov.signing.models import PersonalSigningMethod, SigningMethod
from egov.signing.pki import LEADER_NAME
from egov.signing.services import Box, SigningError, sign_personal
from egov.signing.signers import (
    PersonalMethod,
    Pkcs11Signer,
    Pkcs12Signer,
    personal_signer_for,
    personal_signing_method,
)
from egov.signing.tests.fixtures import make_pdf
from egov.signing.tests.test_pkcs11 import MODULE, PIN, token  # noqa: F401 (fixture)
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db


def _common_name(signer: object) -> str:
    cert = signer.signing_cert  # type: ignore[attr-defined]
    return str(cert.subject.native["common_name"])


def test_dev_pki_issues_each_user_their_own_certificate() -> None:
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    lan = User.objects.create_user(username="lan", full_name="Phạm Thị Lan")
    first = personal_signer_for(dung)
    assert isinstance(first, Pkcs12Signer)
    assert _common_name(first) == "Lê Văn Dũng"
    assert _common_name(personal_signer_for(lan)) == "Phạm Thị Lan"
    # Issued once, then the same certificate.
    again = personal_signer_for(dung).signing_cert
    assert again is not None and first.signing_cert is not None
    assert again.serial_number == first.signing_cert.serial_number


def test_production_without_remote_signing_is_refused(settings) -> None:
    settings.IS_PRODUCTION = True
    user = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    with pytest.raises(SigningError, match="chưa được cấu hình dịch vụ ký số cá nhân"):
        personal_signer_for(user)


@pytest.fixture
def csc(settings) -> Iterator[CscSimulator]:
    simulator = CscSimulator().start()
    material = credential_material(common_name="Lê Văn Dũng")
    simulator.add_credential("079203000001", material=material, credential_id="CRED-DUNG")
    settings.EGOV_CSC_BASE_URL = simulator.csc_url
    settings.EGOV_CSC_CLIENT_ID = simulator.client_id
    settings.EGOV_CSC_CLIENT_SECRET = simulator.client_secret
    settings.EGOV_CSC_USER_CREDENTIALS = ["dung=CRED-DUNG", "broken="]
    yield simulator
    simulator.stop()


def test_remote_signing_uses_the_users_credential(csc: CscSimulator) -> None:
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    signer = personal_signer_for(dung)
    assert isinstance(signer, CscSigner)
    assert (
        signer.credential.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        == "Lê Văn Dũng"
    )
    assert isinstance(signer.credential.certificate, x509.Certificate)


def test_remote_signing_without_a_credential_says_so(csc: CscSimulator) -> None:
    chi = User.objects.create_user(username="chi", full_name="Ngô Minh Chi")
    with pytest.raises(SigningError, match="chưa được gắn chứng thư số trên dịch vụ ký số từ xa"):
        personal_signer_for(chi)
    broken = User.objects.create_user(username="broken")
    with pytest.raises(SigningError, match="chưa được gắn"):
        personal_signer_for(broken)


def test_signers_without_a_credential_keep_their_method_when_remote_is_not_the_default(
    csc: CscSimulator, settings
) -> None:
    settings.EGOV_CSC_REMOTE_BY_DEFAULT = False
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    chi = User.objects.create_user(username="chi", full_name="Ngô Minh Chi")
    assert personal_signing_method(dung) == PersonalMethod(
        SigningMethod.REMOTE, credential_id="CRED-DUNG"
    )
    assert personal_signing_method(chi) == PersonalMethod(SigningMethod.SERVER_PKCS12)
    assert isinstance(personal_signer_for(dung), CscSigner)
    assert isinstance(personal_signer_for(chi), Pkcs12Signer)
    settings.IS_PRODUCTION = True
    with pytest.raises(SigningError, match="Hệ thống chưa được cấu hình dịch vụ ký số cá nhân"):
        personal_signing_method(chi)


def test_remote_signing_with_an_unknown_credential_says_so(csc: CscSimulator, settings) -> None:
    settings.EGOV_CSC_USER_CREDENTIALS = ["dung=CRED-NONE"]
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    with pytest.raises(SigningError, match="Không tìm thấy chứng thư số"):
        personal_signer_for(dung)


# --- the per-person record (PersonalSigningMethod) --------------------------------------------


def test_a_record_names_the_remote_credential(csc: CscSimulator, settings) -> None:
    settings.EGOV_CSC_USER_CREDENTIALS = []
    chi = User.objects.create_user(username="chi", full_name="Ngô Minh Chi")
    PersonalSigningMethod.objects.create(
        user=chi, method=SigningMethod.REMOTE, credential_id="CRED-DUNG"
    )
    assert personal_signing_method(chi) == PersonalMethod("remote", "CRED-DUNG", "")
    assert isinstance(personal_signer_for(chi), CscSigner)


def test_remote_record_without_a_configured_service_says_so(settings) -> None:
    settings.EGOV_CSC_BASE_URL = ""
    chi = User.objects.create_user(username="chi", full_name="Ngô Minh Chi")
    PersonalSigningMethod.objects.create(user=chi, method=SigningMethod.REMOTE, credential_id="X")
    with pytest.raises(SigningError, match="Chưa cấu hình dịch vụ ký số từ xa"):
        personal_signer_for(chi)


def test_a_record_keeps_a_person_on_the_dev_pkcs12_but_never_in_production(settings) -> None:
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    PersonalSigningMethod.objects.create(user=dung, method=SigningMethod.SERVER_PKCS12)
    assert isinstance(personal_signer_for(dung), Pkcs12Signer)
    settings.IS_PRODUCTION = True
    with pytest.raises(SigningError, match="chưa được cấu hình dịch vụ ký số cá nhân"):
        personal_signer_for(dung)


def test_pkcs11_record_without_a_module_says_so(settings) -> None:
    settings.EGOV_SIGNING_PKCS11_MODULE = ""
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    PersonalSigningMethod.objects.create(user=dung, method=SigningMethod.PKCS11, key_label="dung")
    with pytest.raises(SigningError, match="chưa được cấu hình thiết bị lưu khóa"):
        personal_signer_for(dung)


def test_a_record_cannot_leave_out_what_its_method_needs() -> None:
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalSigningMethod.objects.create(user=dung, method=SigningMethod.REMOTE)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalSigningMethod.objects.create(user=dung, method=SigningMethod.PKCS11)


def test_a_leader_signs_with_their_key_on_a_pkcs11_token(token, settings) -> None:  # noqa: F811
    """SoftHSM2 (``test_pkcs11.token``) holds the development leader's key, labelled "leader";
    the PIN comes from the settings (the environment), never from the record."""
    settings.EGOV_SIGNING_PKCS11_MODULE = MODULE
    settings.EGOV_SIGNING_PKCS11_TOKEN = token
    settings.EGOV_SIGNING_PKCS11_PIN = PIN
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    PersonalSigningMethod.objects.create(user=dung, method=SigningMethod.PKCS11, key_label="leader")
    signer = personal_signer_for(dung)
    try:
        assert isinstance(signer, Pkcs11Signer)
        signed = sign_personal(make_pdf(), signer=signer, box=Box(1, 330, 150, 170, 70))
        report = verify_pdf(signed)
        assert report.verdict == Verdict.VALID
        assert report.signatures[0].signer_name == LEADER_NAME
    finally:
        signers_module._pkcs11_signer.cache_clear()  # its session belongs to this token
        assert isinstance(signer, Pkcs11Signer)
        signer.close()
