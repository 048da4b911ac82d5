"""The appointments of a dossier as the forms print them: the one given on the receipt
(Mẫu 01) stays the appointment of record — the tracking book (Mẫu 06) and the control sheet
(Mẫu 05) keep it — and a later one (the apology's new date, a restart after a supplement) is
shown beside it, never in its place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from egov.dossiers.actions import DossierAction
from egov.dossiers.models import Dossier, DossierEvent

RECEPTION_ACTIONS = (DossierAction.RECEIVE, DossierAction.ACCEPT_ONLINE)


@dataclass(frozen=True)
class Appointments:
    original: dt.datetime | None  # on the receipt
    current: dt.datetime | None  # the dossier's due moment now

    @property
    def postponed(self) -> dt.datetime | None:
        """The appointment that replaced the original one (None: unchanged)."""
        return self.current if self.current != self.original else None


def appointments(dossier: Dossier, events: Iterable[DossierEvent]) -> Appointments:
    """From the first reception event (it records the due moment given on the receipt);
    without one, the due moment before the apology, else the current one."""
    received = sorted(
        (e for e in events if e.action in RECEPTION_ACTIONS and "due_at" in (e.data or {})),
        key=lambda e: e.sequence,
    )
    if received:
        given = received[0].data["due_at"]
        original = dt.datetime.fromisoformat(given) if given else None
    else:
        original = dossier.original_due_at or dossier.due_at
    return Appointments(original=original, current=dossier.due_at)
