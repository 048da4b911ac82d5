"""The input model of each action: what every caller's inputs are read into."""

import pytest

from egov.dossiers.actions import DossierAction
from egov.dossiers.errors import TransitionRefused
from egov.dossiers.inputs import (
    INPUT_MODELS,
    PaidInput,
    RequestPaymentInput,
    RequestSupplementInput,
    action_input,
)
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.staff_api import TransitionIn
from egov.dossiers.tests.helpers import reception, user


def test_the_staff_api_body_is_the_union_of_the_input_models():
    fields = {name for model in INPUT_MODELS.values() for name in model.model_fields}
    assert set(TransitionIn.model_fields) == {"action", "reason", "revision", *fields}


def test_only_transitions_have_input_models():
    assert set(INPUT_MODELS) == {
        "hand_off",
        "assign",
        "transfer_out",
        "request_supplement",
        "request_payment",
        "paid",
        "return_result",
        "send_by_post",
        "postal_delivered",
    }


def test_form_values_are_read_as_before():
    payment = action_input(
        "request_payment", {"amount": "1.250.000", "description": "  Lệ phí  ", "other": "x"}
    )
    assert payment == RequestPaymentInput(amount=1250000, description="Lệ phí")
    items = action_input("request_supplement", {"items": "Tờ khai\n\n tờ  khai \nBản sao"})
    assert items == RequestSupplementInput(items=["Tờ khai", "Bản sao"])
    assert action_input("approve", {"anything": 1}).model_dump() == {}
    with pytest.raises(TransitionRefused, match="Số tiền phải là số nguyên"):
        action_input("paid", {"method": "cash"})
    with pytest.raises(TransitionRefused, match="Số tiền phải lớn hơn 0"):
        action_input("paid", {"amount": 0})


@pytest.mark.django_db
def test_a_caller_may_pass_the_model_itself(quang_ninh):
    desk, specialist = user("tinh.tiepnhan"), user("honggai.chuyenvien")
    dossier = dossier_receive(actor=desk, reception=reception())
    dossier = dossier_transition(
        actor=desk,
        dossier=dossier,
        action=DossierAction.HAND_OFF,
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )
    with pytest.raises(TypeError, match="request_payment takes RequestPaymentInput"):
        dossier_transition(
            actor=specialist,
            dossier=dossier,
            action=DossierAction.REQUEST_PAYMENT,
            data=PaidInput(amount=5000),
        )
    dossier = dossier_transition(
        actor=specialist,
        dossier=dossier,
        action=DossierAction.REQUEST_PAYMENT,
        data=RequestPaymentInput(amount=100000, description="Lệ phí"),
    )
    assert dossier.events.last().data == {"amount": 100000, "description": "Lệ phí"}
