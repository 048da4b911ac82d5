"""Remote signing in `make run`: the demo's CSC simulator, its credential for the leader who
signs UBND tỉnh's documents (issued by the development PKI), and the settings handed to the
workers — he signs remotely and his signature validates; everyone else keeps the
development certificate."""

from __future__ import annotations

import pytest
from django.test import override_settings

from egov.accounts.models import User
from egov.contrib.csc.signer import CscSigner
from egov.devserver import DEMO_CREDENTIAL, start_remote_signing
from egov.signing.models import SigningMethod
from egov.signing.pki import DevPki
from egov.signing.services import Box, Level, sign_personal
from egov.signing.signers import (
    PersonalMethod,
    Pkcs12Signer,
    personal_signer_for,
    personal_signing_method,
)
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db


def test_only_the_demo_leader_signs_remotely_and_his_signature_validates(
    dev_pki: DevPki, signing_settings: None
) -> None:
    simulator, environment = start_remote_signing(dev_pki)
    try:
        assert environment == {
            "EGOV_CSC_BASE_URL": simulator.csc_url,
            "EGOV_CSC_CLIENT_ID": simulator.client_id,
            "EGOV_CSC_CLIENT_SECRET": simulator.client_secret,
            "EGOV_CSC_USER_CREDENTIALS": f"tinh.lanhdaoubnd={DEMO_CREDENTIAL}",
            "EGOV_CSC_REMOTE_BY_DEFAULT": "false",
        }
        # The demo's accounts (in the test database already when its demo data is restored).
        leader, _ = User.objects.get_or_create(username="tinh.lanhdaoubnd")
        clerk, _ = User.objects.get_or_create(username="tinh.vanthu")
        with override_settings(
            EGOV_CSC_BASE_URL=simulator.csc_url,
            EGOV_CSC_CLIENT_ID=simulator.client_id,
            EGOV_CSC_CLIENT_SECRET=simulator.client_secret,
            EGOV_CSC_USER_CREDENTIALS=[f"tinh.lanhdaoubnd={DEMO_CREDENTIAL}"],
            EGOV_CSC_REMOTE_BY_DEFAULT=False,
        ):
            assert personal_signing_method(leader) == PersonalMethod(
                SigningMethod.REMOTE, credential_id=DEMO_CREDENTIAL
            )
            assert personal_signing_method(clerk) == PersonalMethod(SigningMethod.SERVER_PKCS12)
            assert isinstance(personal_signer_for(clerk), Pkcs12Signer)
            signer = personal_signer_for(leader)
            assert isinstance(signer, CscSigner)
            simulator.auto_answer = "approve"  # the phone says yes
            signed = sign_personal(
                make_pdf(), signer=signer, box=Box(1, 350, 200, 170, 70), level=Level.B_LT
            )
        report = verify_pdf(signed)
        assert report.verdict == Verdict.VALID
        assert [s.signer_name for s in report.signatures] == ["Nguyễn Văn Dũng"]
    finally:
        simulator.stop()
