"""Low-level reading and writing of edXML elements: the namespace, the date formats and a
reader that turns absent or ill-typed elements into translated errors with their path.

Formats (research notes documents-and-signatures.md §2.2 [S: EDXML-SAMPLE]): dates
``yyyy/mm/dd``; timestamps ``yyyy/MM/dd HH:mm:ss`` without an offset, read and written as
Vietnam time (UTC+07:00; the sample gives no zone, chưa xác nhận).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from lxml import etree

from egov.exchange.errors import InvalidValue, MissingElement

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
NSMAP = {PREFIX: NS}
VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"


def q(name: str) -> str:
    """The qualified tag of an edXML element."""
    return f"{{{NS}}}{name}"


def element(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, q(name))
    if text is not None:
        child.text = text
    return child


def optional(parent: etree._Element, name: str, text: str) -> None:
    """Written only when there is something to say."""
    if text:
        element(parent, name, text)


def format_date(day: dt.date) -> str:
    return day.strftime(DATE_FORMAT)


def format_timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("edXML timestamps are aware datetimes")
    return moment.astimezone(VIETNAM_TZ).strftime(TIMESTAMP_FORMAT)


class Reader:
    """Reads children of one element; ``path`` names it in error messages."""

    def __init__(self, node: etree._Element, path: str) -> None:
        self.node = node
        self.path = path

    def _path(self, name: str) -> str:
        return f"{self.path}/{name}" if self.path else name

    def child(self, name: str) -> Reader:
        found = self.node.find(q(name))
        if found is None:
            raise MissingElement(self._path(name))
        return Reader(found, self._path(name))

    def maybe_child(self, name: str) -> Reader | None:
        found = self.node.find(q(name))
        return None if found is None else Reader(found, self._path(name))

    def children(self, name: str) -> list[Reader]:
        return [Reader(n, self._path(name)) for n in self.node.findall(q(name))]

    def text(self, name: str) -> str:
        """Required, non-empty."""
        value = self.node.findtext(q(name))
        if value is None or not value.strip():
            raise MissingElement(self._path(name))
        return str(value)

    def optional_text(self, name: str) -> str:
        return str(self.node.findtext(q(name)) or "")

    def own_text(self) -> str:
        return str(self.node.text or "")

    def date(self, name: str) -> dt.date:
        return self._date(name, self.text(name))

    def optional_date(self, name: str) -> dt.date | None:
        value = self.optional_text(name).strip()
        return self._date(name, value) if value else None

    def _date(self, name: str, value: str) -> dt.date:
        try:
            return dt.datetime.strptime(value.strip(), DATE_FORMAT).date()  # noqa: DTZ007
        except ValueError:
            raise InvalidValue(self._path(name), value) from None

    def timestamp(self, name: str) -> dt.datetime:
        value = self.text(name)
        try:
            naive = dt.datetime.strptime(value.strip(), TIMESTAMP_FORMAT)  # noqa: DTZ007
        except ValueError:
            raise InvalidValue(self._path(name), value) from None
        return naive.replace(tzinfo=VIETNAM_TZ)

    def optional_int(self, name: str) -> int | None:
        value = self.optional_text(name).strip()
        if not value:
            return None
        if not value.isdigit():
            raise InvalidValue(self._path(name), value)
        return int(value)

    def boolean(self, name: str, *, default: bool = False) -> bool:
        value = self.optional_text(name).strip().lower()
        if not value:
            return default
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        raise InvalidValue(self._path(name), value)

    def invalid(self, name: str, value: str) -> InvalidValue:
        return InvalidValue(self._path(name), value)
