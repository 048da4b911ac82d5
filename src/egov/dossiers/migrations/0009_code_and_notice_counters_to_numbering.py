"""Dossier codes and counter notices take their numbers from ``core.numbering``: each unit's
daily dossier-code counter and each (unit, kind, year) notice series continue where they
stood, then the old counter table goes."""

from django.db import migrations


def to_numbering(apps, schema_editor):
    NumberCounter = apps.get_model("core", "NumberCounter")
    DossierCodeCounter = apps.get_model("dossiers", "DossierCodeCounter")
    CounterNotice = apps.get_model("dossiers", "CounterNotice")
    rows = [
        NumberCounter(
            series="dossier-code",
            scope=f"unit/{counter.unit_id}",
            period=counter.day.isoformat(),
            last=counter.last,
        )
        for counter in DossierCodeCounter.objects.order_by("pk")
    ]
    last_notices = {}
    for unit_id, kind, year, number in CounterNotice.objects.values_list(
        "unit_id", "kind", "year", "number"
    ):
        key = (unit_id, kind, year)
        last_notices[key] = max(number, last_notices.get(key, 0))
    rows += [
        NumberCounter(
            series="counter-notice",
            scope=f"unit/{unit_id}/{kind}",
            period=f"{year:04d}",
            last=last,
        )
        for (unit_id, kind, year), last in sorted(last_notices.items())
    ]
    NumberCounter.objects.bulk_create(rows, batch_size=1000)


def from_numbering(apps, schema_editor):
    NumberCounter = apps.get_model("core", "NumberCounter")
    DossierCodeCounter = apps.get_model("dossiers", "DossierCodeCounter")
    for counter in NumberCounter.objects.filter(series="dossier-code"):
        DossierCodeCounter.objects.create(
            unit_id=int(counter.scope.split("/")[1]), day=counter.period, last=counter.last
        )
    NumberCounter.objects.filter(series__in=["dossier-code", "counter-notice"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_number_counters"),
        ("dossiers", "0008_backfill_completion_and_obligations"),
    ]

    operations = [
        migrations.RunPython(to_numbering, from_numbering),
        migrations.DeleteModel(name="DossierCodeCounter"),
    ]
