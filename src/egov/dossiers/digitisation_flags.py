"""The three digitisation flags of a dossier (``Dossier.digitised_components``,
``reuses_data``, ``counter_digitised``), recomputed from its components and files.

The reports count a month of dossiers by these columns (egov.reports.service_index_measures):
probing the component table once per dossier made the unit's service index three times slower
over a million dossiers (docs/performance.md). They are refreshed by the event subscriber
below — every reception, online submission, supplement, reuse and digitisation check appends
an event after writing its components — and by the services that change a component without
an event (a scan attached on the dossier page). A data-store document revoked later does not
change the dossier it was digitised for: the dossier was digitised when it was.
"""

from __future__ import annotations

from django.db.models import Q

from egov.catalog.models import ChannelKind
from egov.datastore.models import StoreState
from egov.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierFile, FileSource


def digitisation_flags(dossier_id: int, channel: str) -> dict[str, bool]:
    components = DossierComponent.objects.filter(dossier_id=dossier_id)
    files = DossierFile.objects.filter(dossier_id=dossier_id)
    online = channel == ChannelKind.ONLINE
    attached = components.filter(Q(scan__isnull=False) | Q(store_document__isnull=False)).exists()
    if not attached and online:
        # Uploads and reused earlier results: TT 03/2025 Điều 5.2.a spares them the scan, the
        # index counts them as attachments.
        attached = files.filter(source__in=[FileSource.UPLOAD, FileSource.REUSED]).exists()
    reused = components.filter(reused=True).exists() or (
        online and files.filter(source=FileSource.REUSED).exists()
    )
    # Every paper handed in at the desk has a valid data-store document (TT 01/2023 Điều 8); a
    # component only shown (nothing handed in) or taken from the store needs none.
    undigitised = (
        components.filter(reused=False)
        .filter(Q(originals__gt=0) | Q(copies__gt=0))
        .exclude(store_document__state=StoreState.VALID)
    )
    counter = not online and not undigitised.exists()
    return {"digitised_components": attached, "reuses_data": reused, "counter_digitised": counter}


def refresh_digitisation_flags(dossier: Dossier) -> None:
    """Recompute and store the flags (in the caller's transaction); nothing when unchanged."""
    current = (
        Dossier.objects.filter(pk=dossier.pk)
        .values_list("channel", "digitised_components", "reuses_data", "counter_digitised")
        .first()
    )
    if current is None:
        return
    channel, *stored = current
    flags = digitisation_flags(dossier.pk, channel)
    if list(flags.values()) != [bool(value) for value in stored]:
        Dossier.objects.filter(pk=dossier.pk).update(**flags)
    for name, value in flags.items():
        setattr(dossier, name, value)


def digitisation_flags_on_event(event: DossierEvent) -> None:
    """Event subscriber (dossiers.events.SUBSCRIBERS)."""
    refresh_digitisation_flags(event.dossier)
