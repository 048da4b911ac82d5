"""Fill the columns added by 0007 for dossiers written before them:

- completion (``completed_at``, ``outcome``, ``working_days``) of every dossier that already
  reached an ending status: the moment of its first event into one, compared with its current
  appointment, by the rule of ``egov.dossiers.completion``;
- ``obligation_amount``: the amount of the dossier's last "request_payment" event.

Working days are counted with the unit's working calendar as the code builds it today (office
hours and holiday decisions are data, loaded by ``calendar_for_unit``)."""

from decimal import Decimal

from django.db import migrations

ENDING = ("result_ready", "returned", "stopped", "withdrawn", "refused")
BATCH = 1000


def backfill(apps, schema_editor):
    from egov.dossiers.completion import completion_of
    from egov.org.models import Unit
    from egov.workdays.selectors import calendar_for_unit

    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")

    calendars = {}

    def calendar(unit_id):
        if unit_id not in calendars:
            calendars[unit_id] = calendar_for_unit(Unit.objects.get(pk=unit_id))
        return calendars[unit_id]

    ended = (
        Dossier.objects.filter(completed_at=None, status__in=ENDING)
        .only("id", "receiving_unit_id", "received_at", "due_at")
        .order_by("id")
    )
    changed = []
    for dossier in ended.iterator(chunk_size=BATCH):
        first = (
            DossierEvent.objects.filter(dossier_id=dossier.pk, to_status__in=ENDING)
            .order_by("sequence")
            .values_list("at", flat=True)
            .first()
        )
        if first is None:
            continue
        done = completion_of(
            completed_at=first,
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            calendar=calendar(dossier.receiving_unit_id),
        )
        dossier.completed_at = done.completed_at
        dossier.outcome = done.outcome
        dossier.working_days = done.working_days
        changed.append(dossier)
        if len(changed) >= BATCH:
            Dossier.objects.bulk_update(changed, ["completed_at", "outcome", "working_days"])
            changed = []
    Dossier.objects.bulk_update(changed, ["completed_at", "outcome", "working_days"])

    # The last request per dossier wins: events in order, later ones overwrite earlier ones.
    amounts = {}
    requests = DossierEvent.objects.filter(action="request_payment").order_by(
        "dossier_id", "sequence"
    )
    for dossier_id, data in requests.values_list("dossier_id", "data").iterator(BATCH):
        if isinstance(data, dict) and data.get("amount") is not None:
            amounts[dossier_id] = int(Decimal(str(data["amount"])))
    rows = [Dossier(pk=pk, obligation_amount=amount) for pk, amount in amounts.items()]
    Dossier.objects.bulk_update(rows, ["obligation_amount"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_dossier_completion_money_unit_received_index"),
        ("workdays", "0001_calendar_and_office_hours"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
