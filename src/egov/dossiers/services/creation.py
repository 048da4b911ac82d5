"""The one place a dossier row is built, whichever way it arrives: received at the desk
(``reception.py``) or submitted online (``online.py``). The dossier gets its code from the
receiving unit's daily series (TT 01/2018/TT-VPCP Điều 19) and the applicant's checked details;
the caller adds its components and files and records the first event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from egov.accounts.models import User
from egov.catalog.models import ProcedureVersion
from egov.core.text import fold
from egov.dossiers.codes import next_dossier_code
from egov.dossiers.models import Dossier, DossierStatus
from egov.org.models import Unit


def dossier_row_create(
    *,
    unit: Unit,
    version: ProcedureVersion,
    channel: str,
    status: DossierStatus,
    applicant_kind: str,
    applicant: dict[str, Any],
    at: dt.datetime,
    due_at: dt.datetime | None,
    due_rule: str,
    fee_quoted: int | None,
    result_delivery: str,
    sets: int = 1,
    owner: User | None = None,
    received_at: dt.datetime | None = None,
    submitted_at: dt.datetime | None = None,
    reception_due_at: dt.datetime | None = None,
    book_year: int | None = None,
    book_sequence: int | None = None,
) -> Dossier:
    """Insert the dossier (``applicant``: the values returned by
    ``reception.clean_applicant``); its code is numbered on ``at``'s day."""
    return Dossier.objects.create(
        code=next_dossier_code(unit, at),
        receiving_unit=unit,
        procedure_version=version,
        channel=channel,
        status=status,
        owner=owner,
        applicant_kind=applicant_kind,
        applicant_name=applicant["name"],
        applicant_search=fold(applicant["name"]),
        applicant_personal_id=applicant["personal_id"],
        applicant_tax_code=applicant["tax_code"],
        applicant_phone=applicant["phone"],
        applicant_email=applicant["email"],
        applicant_address=applicant["address"],
        representative_name=applicant["representative_name"],
        representative_personal_id=applicant["representative_personal_id"],
        sets=sets,
        result_delivery=result_delivery,
        fee_quoted=fee_quoted,
        received_at=received_at,
        submitted_at=submitted_at,
        reception_due_at=reception_due_at,
        due_at=due_at,
        due_rule=due_rule,
        book_year=book_year,
        book_sequence=book_sequence,
    )
