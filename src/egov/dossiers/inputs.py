"""One input model per lifecycle action: the shape of what an officer (or the applicant, or the
system) sends with it, besides the reason.

Every caller's inputs pass through these models — the workspace form (strings as posted), the
staff API (its ``TransitionIn`` body is the union of these fields, checked by a test), the
portal, the payment gateway and Python callers, which may also build a model directly and pass
it to ``dossier_transition``. A model only shapes and bounds values (text trimmed and cut to
its column, amounts read as whole đồng, units looked up); what the action requires of the
dossier is checked in ``action_inputs``. Unknown keys are ignored, as before: a form posts
every field of every action. A value that cannot be read raises ``TransitionRefused`` with its
message for the person acting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from egov.dossiers.actions import DossierAction as A
from egov.dossiers.errors import TransitionRefused
from egov.org.models import Unit
from egov.org.selectors import unit_by_code_or_key

AMOUNT_MAX = 10**13


def _text(limit: int) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        return str(value or "").strip()[:limit]

    return clean


def amount_value(raw: Any) -> int:
    """A sum of money in whole đồng; officers type "1.250.000" or "1 250 000" (Vietnamese
    thousands separators)."""
    if isinstance(raw, bool):
        raw = None
    if not isinstance(raw, int):
        text = str(raw if raw is not None else "")
        text = text.replace(".", "").replace(",", "").replace(" ", "")
        try:
            raw = int(text)
        except ValueError:
            raise TransitionRefused(
                _("Số tiền phải là số nguyên (đồng)."), field="amount"
            ) from None
    value = int(raw)
    if value <= 0:
        raise TransitionRefused(_("Số tiền phải lớn hơn 0."), field="amount")
    if value > AMOUNT_MAX:
        raise TransitionRefused(_("Số tiền quá lớn."), field="amount")
    return value


def unit_value(value: Any) -> Unit | None:
    """A unit given as itself, its key or its code (None when blank)."""
    if isinstance(value, Unit):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    unit = unit_by_code_or_key(text)
    if unit is None:
        raise TransitionRefused(_("Không tìm thấy đơn vị “%s”.") % text[:60])
    return unit


def supplement_items(raw: Any) -> list[str]:
    """Every item once, in the order given (blank lines and repeats dropped)."""
    values = raw if isinstance(raw, list | tuple) else str(raw or "").splitlines()
    seen: set[str] = set()
    items: list[str] = []
    for value in values:
        item = " ".join(str(value).split())[:500]
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            items.append(item)
    return items


# Text inputs: None or empty → "", otherwise trimmed and cut to the length of their column.
Text10 = Annotated[str, BeforeValidator(_text(10)), Field(default="", validate_default=True)]
Text20 = Annotated[str, BeforeValidator(_text(20)), Field(default="", validate_default=True)]
Text100 = Annotated[str, BeforeValidator(_text(100)), Field(default="", validate_default=True)]
Text150 = Annotated[str, BeforeValidator(_text(150)), Field(default="", validate_default=True)]
Text255 = Annotated[str, BeforeValidator(_text(255)), Field(default="", validate_default=True)]
Text500 = Annotated[str, BeforeValidator(_text(500)), Field(default="", validate_default=True)]
Amount = Annotated[int, BeforeValidator(amount_value), Field(default=None, validate_default=True)]
UnitRef = Annotated[
    Unit | None, BeforeValidator(unit_value), Field(default=None, validate_default=True)
]
Items = Annotated[
    list[str], BeforeValidator(supplement_items), Field(default=(), validate_default=True)
]


class ActionInput(BaseModel):
    """An action that takes no input besides its reason."""

    model_config = ConfigDict(extra="ignore", frozen=True, arbitrary_types_allowed=True)


class HandOffInput(ActionInput):
    # Blank: the procedure's competent unit.
    handling_unit: UnitRef


class AssignInput(ActionInput):
    assignee: Text150  # username


class TransferOutInput(ActionInput):
    partner_unit: UnitRef


class RequestSupplementInput(ActionInput):
    # A list, or one item per line.
    items: Items


class RequestPaymentInput(ActionInput):
    amount: Amount
    description: Text500


class PaidInput(ActionInput):
    amount: Amount
    method: Text20
    reference: Text100


class ReturnResultInput(ActionInput):
    received_by: Text255
    delivery: Text10


class SendByPostInput(ActionInput):
    # Blank: the applicant's name, phone and address.
    recipient_name: Text255
    recipient_phone: Text20
    address: Text500


class PostalDeliveredInput(ActionInput):
    received_by: Text255
    tracking_number: Text20


INPUT_MODELS: dict[str, type[ActionInput]] = {
    A.HAND_OFF: HandOffInput,
    A.ASSIGN: AssignInput,
    A.TRANSFER_OUT: TransferOutInput,
    A.REQUEST_SUPPLEMENT: RequestSupplementInput,
    A.REQUEST_PAYMENT: RequestPaymentInput,
    A.PAID: PaidInput,
    A.RETURN_RESULT: ReturnResultInput,
    A.SEND_BY_POST: SendByPostInput,
    A.POSTAL_DELIVERED: PostalDeliveredInput,
}


def input_model(action: str) -> type[ActionInput]:
    return INPUT_MODELS.get(action, ActionInput)


def action_input(action: str, data: ActionInput | dict[str, Any] | None) -> ActionInput:
    """``data`` as the input model of ``action`` (a model already built must be that one)."""
    model = input_model(action)
    if isinstance(data, ActionInput):
        if type(data) is not model:
            raise TypeError(f"{action} takes {model.__name__}, not {type(data).__name__}")
        return data
    return model.model_validate(data or {})
