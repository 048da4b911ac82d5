"""Names of the AcroForm text fields that may be filled after the first signature.

NĐ 30/2020/NĐ-CP, Điều 15 (and Phụ lục I): an outgoing document gets its number ("Số") and its
date of issue when the văn thư registers it, i.e. after the competent person has signed and
before the agency's signature. The composer (``egov.core.printing.official``) creates these
text fields empty in the draft, and adds them to an uploaded draft where its page 1 shows the
blanks (``official.blanks``); the documents app fills them between the two signatures.

Verification (``egov.signing.verification``) accepts a change after a signature only to a
text field named here, and only when a later signature covers that change; any other changed
form field, or a change after the last signature, makes the signature ``modified``.
"""

from __future__ import annotations

from egov.core.printing.official.form_fields import DATE_FIELDS, NUMBER_FIELD

# "Hạ Long, ngày 01 tháng 12 năm 2026" (ô 4 of Phụ lục I): one field each for the day, the month
# and the year; "Số: 12/QĐ-UBND" (ô 3): NUMBER_FIELD for the digits.
DATE_FIELD = DATE_FIELDS[0]

FILLABLE_AFTER_SIGNING: frozenset[str] = frozenset({NUMBER_FIELD, *DATE_FIELDS})

__all__ = ["DATE_FIELD", "DATE_FIELDS", "FILLABLE_AFTER_SIGNING", "NUMBER_FIELD"]
