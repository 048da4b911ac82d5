"""Who signs a person's signature: the development PKI issues each user a certificate on
first use; with a remote signing service configured, the user's CSC credential; errors in
Vietnamese when nothing is configured for them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from egov.accounts.models import User
from egov.contrib.csc.signer import CscSigner
from egov.contrib.csc.simulator import CscSimulator, credential_material
from egov.signing.services import SigningError
from egov.signing.signers import Pkcs12Signer, personal_signer_for

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


def test_remote_signing_with_an_unknown_credential_says_so(csc: CscSimulator, settings) -> None:
    settings.EGOV_CSC_USER_CREDENTIALS = ["dung=CRED-NONE"]
    dung = User.objects.create_user(username="dung", full_name="Lê Văn Dũng")
    with pytest.raises(SigningError, match="Không tìm thấy chứng thư số"):
        personal_signer_for(dung)
