"""Every dossier received before the tracking book was numbered gets its entry: per receiving
unit and year of reception (Việt Nam time), numbered from 1 in the order of reception, and the
unit's series of that year continues after the last number given here (gap-free)."""

from zoneinfo import ZoneInfo

from django.db import migrations

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 1000


def number_entries(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    NumberCounter = apps.get_model("core", "NumberCounter")
    last: dict[tuple[int, int], int] = {}
    changed = []
    rows = (
        Dossier.objects.filter(received_at__isnull=False, book_sequence__isnull=True)
        .order_by("receiving_unit_id", "received_at", "id")
        .only("id", "receiving_unit_id", "received_at")
    )
    for dossier in rows.iterator(chunk_size=BATCH):
        year = dossier.received_at.astimezone(VIETNAM).year
        key = (dossier.receiving_unit_id, year)
        last[key] = last.get(key, 0) + 1
        dossier.book_year = year
        dossier.book_sequence = last[key]
        changed.append(dossier)
        if len(changed) >= BATCH:
            Dossier.objects.bulk_update(changed, ["book_year", "book_sequence"])
            changed = []
    Dossier.objects.bulk_update(changed, ["book_year", "book_sequence"])
    NumberCounter.objects.bulk_create(
        [
            NumberCounter(
                series="tracking-book", scope=f"unit/{unit}", period=f"{year:04d}", last=number
            )
            for (unit, year), number in sorted(last.items())
        ],
        batch_size=BATCH,
    )


def forget_entries(apps, schema_editor):
    apps.get_model("core", "NumberCounter").objects.filter(series="tracking-book").delete()
    apps.get_model("dossiers", "Dossier").objects.update(book_year=None, book_sequence=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_number_counters"),
        ("dossiers", "0013_tracking_book_entries_notice_email"),
    ]

    operations = [migrations.RunPython(number_entries, forget_entries)]
