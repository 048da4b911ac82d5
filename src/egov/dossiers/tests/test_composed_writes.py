"""Writes made of two steps run in one service, both or neither (issue 10, point 5): the
leader's approval with the result file, the applicant's supplement with its files."""

import io

import pytest
from django.core.exceptions import ValidationError

from egov.accounts.models import User
from egov.dossiers.errors import StaleRevision
from egov.dossiers.models import Dossier, DossierFile, DossierStatus, FileSource
from egov.dossiers.services.applicant import dossier_applicant_act
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.results import dossier_approve
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% ket qua\n"


def _stored(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def _processing():
    desk = user("tinh.tiepnhan")
    dossier = dossier_receive(actor=desk, reception=reception("qn-cap-phieu-ly-lich-tu-phap"))
    return dossier_transition(actor=desk, dossier=dossier, action="hand_off")


def test_an_approval_whose_result_file_is_refused_is_not_approved(
    quang_ninh, _private_files, signing_settings
):
    from egov.signing.tests.fixtures import make_pdf

    dossier = _processing()
    leader = user("tinh.lanhdaophong")
    with pytest.raises(ValidationError):
        dossier_approve(
            actor=leader, dossier=dossier, result=io.BytesIO(b"not a pdf"), result_name="kq.doc"
        )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING and dossier.result_code == ""
    assert not dossier.events.filter(action="approve").exists()
    assert _stored(_private_files) == []

    approved = dossier_approve(
        actor=leader, dossier=dossier, result=io.BytesIO(make_pdf()), result_name="kq.pdf"
    )
    assert approved.status == DossierStatus.RESULT_READY
    result = DossierFile.objects.get(dossier=dossier, source=FileSource.RESULT)
    assert (result.code, result.file.name) == (f"{dossier.code}-KQ1", "kq.pdf")
    assert len(_stored(_private_files)) == 1


def test_a_refused_supplement_keeps_none_of_its_files(quang_ninh, _private_files):
    account = User.objects.create_user(username="an.nguyen", password="x")
    dossier = _processing()
    Dossier.objects.filter(pk=dossier.pk).update(owner=account)
    dossier.refresh_from_db()
    dossier = dossier_transition(
        actor=user("tinh.chuyenvien"),
        dossier=dossier,
        action="request_supplement",
        data={"items": ["Bản chụp CCCD"]},
    )
    stale = dossier.revision - 1
    with pytest.raises(StaleRevision):
        dossier_applicant_act(
            actor=account,
            dossier=dossier,
            action="supplemented",
            expected_revision=stale,
            files=[(io.BytesIO(PDF), "cccd.pdf")],
        )
    assert not dossier.files.filter(file__name="cccd.pdf").exists()
    assert _stored(_private_files) == []

    done = dossier_applicant_act(
        actor=account,
        dossier=dossier,
        action="supplemented",
        expected_revision=dossier.revision,
        files=[(io.BytesIO(PDF), "cccd.pdf")],
    )
    assert done.status == DossierStatus.PROCESSING
    assert list(dossier.files.values_list("file__name", flat=True)) == ["cccd.pdf"]
    assert len(_stored(_private_files)) == 1
