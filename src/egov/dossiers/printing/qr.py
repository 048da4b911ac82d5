"""What the QR code of the receipt (Mẫu 01) carries.

TT 01/2018/TT-VPCP Điều 19 allows a bar or QR code beside the dossier code; TT 01/2023/TT-VPCP
is reported to require at least the dossier code, the procedure code and the applicant's
identifier (legal audit 2026-12 §3.1, not retrieved: chưa đối chiếu). The content is therefore
a template the province sets (EGOV_RECEIPT_QR) over the fields below; the default is a link to
the public lookup that also names the procedure, so a phone opens the dossier's status and a
reader gets both codes.
"""

from __future__ import annotations

import string
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from egov.dossiers.models import Dossier

# Field → what it is. Every field but ``lookup_url`` is percent-encoded (letters, digits and
# "_.-~" stay as they are), so the template may be a URL or plain text.
RECEIPT_QR_FIELDS = {
    "lookup_url": "link to the public lookup of the dossier (…/tra-cuu-ho-so/?ma=<code>)",
    "dossier_code": "mã hồ sơ (TT 01/2018/TT-VPCP Điều 19)",
    "procedure_code": "mã thủ tục hành chính (national code, else the catalog key)",
    "unit_code": "mã định danh of the receiving unit (QCVN 102:2016)",
    "applicant_id": "số định danh cá nhân or mã số thuế of the applicant (personal data)",
}


def template_problem(template: str) -> str | None:
    """Why ``template`` cannot be used (None when it can)."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]
    except ValueError as exc:
        return f"EGOV_RECEIPT_QR is not a valid template: {exc}"
    unknown = sorted(set(names) - set(RECEIPT_QR_FIELDS))
    if unknown:
        return (
            f"EGOV_RECEIPT_QR uses unknown fields {', '.join(unknown)}; "
            f"known: {', '.join(RECEIPT_QR_FIELDS)}"
        )
    if not names:
        return "EGOV_RECEIPT_QR must use at least one field, e.g. {dossier_code}"
    return None


def receipt_qr_content(dossier: Dossier, *, lookup_base_url: str) -> str:
    """The text of the receipt's QR code for ``dossier`` (EGOV_RECEIPT_QR filled in)."""
    template: str = settings.EGOV_RECEIPT_QR
    problem = template_problem(template)
    if problem:
        raise ImproperlyConfigured(problem)
    values = {
        "dossier_code": dossier.code,
        "procedure_code": dossier.procedure_version.procedure.public_code,
        "unit_code": dossier.receiving_unit.code or "",
        "applicant_id": dossier.applicant_personal_id or dossier.applicant_tax_code,
    }
    encoded = {name: quote(value, safe="") for name, value in values.items()}
    encoded["lookup_url"] = f"{lookup_base_url}?ma={quote(dossier.code)}"
    return template.format_map(encoded)
