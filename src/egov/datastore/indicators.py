"""Counts of the data store for the reports: how many documents each unit put into its owners'
stores in a period (digitised at the desk, uploads checked against the original, e-results,
electronic certified copies).

A document counts in the period it became valid (``digitised_at``: the check of a scan or an
upload, or the issue of a result or a certified copy), under the unit that digitised or issued
it, whatever happened to it later: a document revoked afterwards was still digitised then. A
document never checked (pending) or found not to match the original (rejected) has no
``digitised_at`` and counts nowhere.

The dossier-side ratios (index QĐ 766 group "Số hóa hồ sơ") read dossiers and live above the
dossiers app, in ``egov.reports.digitisation``; this module only reads the store.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count

from egov.core.replicas import report_reads
from egov.datastore.models import StoreDocument, StoreSource

SOURCES = tuple(StoreSource.values)


def store_documents_digitised(
    *, start: dt.datetime, end: dt.datetime, unit_ids: set[int] | None = None
) -> dict[int | None, dict[str, int]]:
    """Documents that became valid in ``[start, end)``, per unit (``None``: no unit recorded)
    and source (``scan``, ``upload``, ``result``, ``certified_copy``; every source present,
    0 when none). ``unit_ids`` limits the units (None: every unit). One grouped query."""
    rows = StoreDocument.objects.filter(digitised_at__gte=start, digitised_at__lt=end)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    found: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SOURCES, 0))
    with report_reads():
        for row in rows.order_by().values("unit_id", "source").annotate(n=Count("pk")):
            found[row["unit_id"]][row["source"]] = int(row["n"])
    return dict(found)
