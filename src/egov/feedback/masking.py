"""Personal data removed from a feedback before it is published on the portal.

NĐ 13/2023/NĐ-CP (bảo vệ dữ liệu cá nhân) Điều 2: a name, a phone number, an e-mail address,
a personal identification number and an address are basic personal data. The published copy
of a feedback and its answer keeps the matter, not the person: each is replaced by a marker.
The markers are stored text of the public copy, always Vietnamese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NAME_MARK = "[họ tên đã ẩn]"
PHONE_MARK = "[số điện thoại đã ẩn]"
EMAIL_MARK = "[thư điện tử đã ẩn]"
ID_MARK = "[số định danh đã ẩn]"
ADDRESS_MARK = "[địa chỉ đã ẩn]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Personal identification numbers (12 digits: CCCD / số định danh cá nhân; 9 digits: the old
# CMND), written with or without spaces/dots between groups.
_ID_12 = re.compile(r"(?<!\d)\d{3}[ .]?\d{3}[ .]?\d{6}(?!\d)")
# Vietnamese phone numbers: 0 or +84 / 84, then 9 digits (mobile) or 9-10 (fixed lines),
# groups separated by spaces, dots or dashes.
_PHONE = re.compile(r"(?<![\d+])(?:\+84|84|0)(?:[ .-]?\d){9,10}(?!\d)")
_ID_9 = re.compile(r"(?<!\d)\d{9}(?!\d)")
# An address announced by its usual words, up to the end of the clause.
_ADDRESS = re.compile(
    r"(?i)(?:(?<=địa chỉ:)|(?<=địa chỉ)|(?<=trú tại)|(?<=cư trú tại)|(?<=ngụ tại)"
    r"|(?<=ở tại)|(?<=nhà ở))\s*[^.;\n]+"
)
# A street address without an announcing word: "số 12 ngõ 34 phố Huế", "12/3 đường Lê Lợi".
_STREET = re.compile(
    r"(?i)(?:số (?:nhà )?)?\d+[\w/]*\s+(?:ngõ|ngách|hẻm|kiệt|đường|phố)\s+[^.;,\n]+"
)


_TITLES = "ông|bà|anh|chị|cô|chú|bác|em"


def _mask_names(text: str, names: Iterable[str]) -> str:
    full = sorted({" ".join(n.split()) for n in names if len(n.strip()) >= 2}, key=len)
    for name in reversed(full):
        text = re.sub(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", NAME_MARK, text)
    # Vietnamese refer to a person by title and given name ("ông An"): that too is the name.
    for given in {name.split()[-1] for name in full if " " in name}:
        text = re.sub(
            rf"(?i)(?<!\w)({_TITLES})\s+{re.escape(given)}(?!\w)", rf"\1 {NAME_MARK}", text
        )
    return text


def mask_personal_data(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` with e-mail addresses, personal ID numbers, phone numbers, addresses and the
    given ``names`` (the submitter's, as typed) replaced by markers."""
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _ID_12.sub(ID_MARK, text)
    text = _PHONE.sub(PHONE_MARK, text)
    text = _ID_9.sub(ID_MARK, text)
    text = _ADDRESS.sub(" " + ADDRESS_MARK, text)
    text = _STREET.sub(ADDRESS_MARK, text)
    return _mask_names(text, names)
