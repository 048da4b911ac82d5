"""The dossier's digitisation flags follow its components through the services, and the
migration's SQL computes them exactly as ``dossiers.digitisation_flags`` does."""

from __future__ import annotations

import importlib
import io

import pytest
from django.db import connection

from egov.catalog.selectors import version_by_code
from egov.dossiers.digitisation_flags import digitisation_flags
from egov.dossiers.models import Dossier
from egov.dossiers.services.attachments import dossier_attach_scan
from egov.dossiers.services.digitisation import PaperDetails, dossier_digitise_verify
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.store_samples import stored_document
from egov.signing.tests.fixtures import make_pdf

pytestmark = pytest.mark.django_db

FLAGS = ("digitised_components", "reuses_data", "counter_digitised")


def card_component() -> int:
    version = version_by_code("2.000884")
    assert version is not None
    return int(version.components.get(document_kind__code="the-can-cuoc").pk)


def flags(dossier: Dossier) -> tuple[bool, bool, bool]:
    row = Dossier.objects.values_list(*FLAGS).get(pk=dossier.pk)
    return (bool(row[0]), bool(row[1]), bool(row[2]))


def test_flags_follow_reception_scans_checks_and_reuse(quang_ninh, signing_settings):
    desk = user("tinh.tiepnhan")
    plain = dossier_receive(actor=desk, reception=reception())
    # Papers handed in, nothing scanned.
    assert flags(plain) == (False, False, False)
    first = plain.components.order_by("component__order", "pk").first()
    dossier_attach_scan(
        actor=desk,
        dossier=plain,
        component=first,
        upload=io.BytesIO(make_pdf()),
        original_name="giay.pdf",
    )
    assert flags(plain) == (True, False, False)
    for row in plain.components.exclude(pk=first.pk):
        dossier_attach_scan(
            actor=desk,
            dossier=plain,
            component=row,
            upload=io.BytesIO(make_pdf()),
            original_name="giay.pdf",
        )
    pending = list(plain.components.values_list("store_document__code", flat=True))
    dossier_digitise_verify(
        actor=desk,
        dossier=plain,
        papers=[PaperDetails(code=code, kind=None, number="", issuer="") for code in pending],
    )
    assert flags(plain) == (True, False, True)

    stored_document(desk, code="SH-AN-1")
    counter = reception("2.000884")
    card = card_component()
    counter.components.pop(card)
    counter.store_documents = {card: "SH-AN-1"}
    reusing = dossier_receive(actor=desk, reception=counter)
    assert flags(reusing) == (True, True, False)


def test_the_migration_fills_the_flags_as_the_code_computes_them(quang_ninh, signing_settings):
    desk = user("tinh.tiepnhan")
    stored_document(desk, code="SH-AN-1")
    dossier_receive(actor=desk, reception=reception())
    counter = reception("2.000884")
    card = card_component()
    counter.components.pop(card)
    counter.store_documents = {card: "SH-AN-1"}
    dossier_receive(actor=desk, reception=counter)
    fill = importlib.import_module("egov.dossiers.migrations.0020_digitisation_flags").FILL
    Dossier.objects.update(digitised_components=False, reuses_data=False, counter_digitised=True)
    with connection.cursor() as cursor:
        cursor.execute(fill)
    for dossier in Dossier.objects.all():
        expected = digitisation_flags(dossier.pk, dossier.channel)
        assert flags(dossier) == tuple(expected[name] for name in FLAGS), dossier.code
