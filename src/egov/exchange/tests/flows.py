"""Documents brought through their real lifecycle for the exchange tests."""

from __future__ import annotations

from egov.documents.models import OutgoingDocument
from egov.documents.services.outgoing import RecipientInput
from egov.documents.state import TRANSITIONS
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import HAPPY_PATH, draft, take_step, text_pdf


def issue_to(
    province: Province,
    organs: dict[str, str],
    *,
    subject: str = "Về việc phối hợp tổ chức hội nghị",
    before_issue: object = None,
) -> OutgoingDocument:
    """A công văn of the committee to the outside organs ``{code: name}``, issued."""
    document = draft(
        province,
        key="cong-van",
        subject=subject,
        unit_abbreviation=province.vx_abbr,
        file=text_pdf(subject),
        recipients=[RecipientInput(name=name, organ_id=code) for code, name in organs.items()],
    )
    for action, who in HAPPY_PATH:
        if action == "issue" and callable(before_issue):
            before_issue(document)
        file = text_pdf(subject) if TRANSITIONS[action].needs_file else None
        take_step(province, document, action, who, file)
        document.refresh_from_db()
    return document
