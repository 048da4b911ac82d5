"""Who may attach the approved result (e-result, NĐ 45/2020 Điều 14): a leader or a clerk of the
unit that handles the dossier, once the result is approved; nobody else."""

import io

import pytest
from django.core.exceptions import ValidationError

from egov.accounts.models import Role
from egov.accounts.services import role_assign
from egov.dossiers.models import DossierFile, DossierStatus, FileSource
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.results import dossier_attach_result
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit
from egov.signing.tests.fixtures import make_pdf

pytestmark = pytest.mark.django_db
PDF = make_pdf()
ONLY_LEADER_OR_CLERK = "Chỉ lãnh đạo hoặc văn thư của cơ quan giải quyết mới được đính kèm kết quả."


@pytest.fixture(autouse=True)
def _signing(signing_settings):
    """Results are signed by the competent agency (development PKI)."""


@pytest.fixture
def handled(quang_ninh):
    """A judicial-record dossier handed to Sở Tư pháp, the competent unit."""
    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    return dossier_transition(actor=user("tinh.tiepnhan"), dossier=dossier, action="hand_off")


@pytest.fixture
def approved(handled):
    return dossier_transition(actor=user("tinh.lanhdaophong"), dossier=handled, action="approve")


def _attach(actor, dossier):
    return dossier_attach_result(
        actor=actor, dossier=dossier, upload=io.BytesIO(PDF), original_name="ket-qua.pdf"
    )


@pytest.fixture
def clerk_of_the_unit(quang_ninh):
    clerk = user("tinh.vanthu")  # the clerk of UBND tỉnh, given the role at Sở Tư pháp too
    role_assign(actor=None, user=clerk, unit=Unit.objects.get(key="qn.so-tu-phap"), role=Role.CLERK)
    return clerk


@pytest.mark.parametrize("attacher", ["leader", "clerk"])
def test_the_units_leader_or_clerk_attaches_the_result(approved, clerk_of_the_unit, attacher):
    actor = user("tinh.lanhdaophong") if attacher == "leader" else clerk_of_the_unit
    assert approved.status == DossierStatus.RESULT_READY
    result = _attach(actor, approved)
    assert (result.source, result.code, result.file.name) == (
        FileSource.RESULT,
        approved.result_code,
        "ket-qua.pdf",
    )
    assert result.file.content_type == "application/pdf"
    assert result.file.size > len(PDF)  # the agency's signature was added


@pytest.mark.parametrize(
    "username",
    [
        "tinh.chuyenvien",  # specialist of the handling unit
        "tinh.tiepnhan",  # receptionist of the receiving desk
        "tinh.lanhdaotrungtam",  # leader of the service centre, not of the handling unit
        "tinh.vanthu",  # a clerk, but of another unit
        "honggai.lanhdao",  # a department leader of another unit
    ],
)
def test_anyone_else_is_refused(approved, username):
    with pytest.raises(ValidationError) as refused:
        _attach(user(username), approved)
    assert refused.value.messages == [ONLY_LEADER_OR_CLERK]
    assert not DossierFile.objects.filter(dossier=approved, source=FileSource.RESULT).exists()


def test_not_before_the_result_is_approved(handled):
    with pytest.raises(ValidationError) as refused:
        _attach(user("tinh.lanhdaophong"), handled)
    assert refused.value.messages == ["Hồ sơ chưa được phê duyệt kết quả."]
    assert not DossierFile.objects.filter(dossier=handled).exists()
