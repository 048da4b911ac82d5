"""The data set of the digitisation tests: dossiers received at the provincial service centre in
March and April 2026 (no demo dossier is received there then), three of them handed to the Sở
Tư pháp and counted there (``EGOV_REPORT_UNIT_BASIS`` "handling"), with and without digitised
components, data-store documents, e-results and reuse.

March, counted at the centre (1.001612: components A "Giấy đề nghị", B "Bản sao giấy tờ pháp
lý", each handed in as one original):

- m1: counter; A scanned and checked (valid), B reused from the store;
- m2: counter; A scanned, not yet checked (pending); B nothing;
- m3: counter; nothing digitised;
- m4: online; A uploaded; B an earlier e-result reused and marked reused (one component);
- m8: counter; A scanned and checked; B only shown (no original or copy handed in).

March, counted at the Sở (criminal record; one component), each approved:

- m5: component checked, e-result signed valid;
- m6: component checked, e-result unsigned;
- m7: nothing digitised; the e-result issued into the store instead of a signed file.

April: a1 at the centre, counter, A scanned and checked in March's store document of m1, B
reused; a certified copy issued by the Sở.
"""

import io

import time_machine

from egov.core.uploads import store_private
from egov.datastore.models import OwnerKind, StoreSource
from egov.datastore.services import (
    Owner,
    Paper,
    store_document_issue,
    store_document_store,
    store_document_verify,
)
from egov.dossiers.digitisation_flags import refresh_digitisation_flags
from egov.dossiers.models import Dossier, DossierComponent, DossierFile
from egov.dossiers.tests.helpers import user
from egov.org.models import Unit
from egov.reports.tests.service_index_data import approve, at, centre, receive, result_file

PERSON = Owner(kind=OwnerKind.PERSON, identifier="022084000123", name="Nguyễn Văn An")
STORE_DAY = at(2026, 3, 10, 9, 0)


def department():
    return Unit.objects.get(key="qn.so-tu-phap")


def _file(name="giay.pdf"):
    return store_private(io.BytesIO(b"%PDF-1.4 so hoa"), original_name=name, prefix="t")


def scanned(code, *, checked=True, unit=None):
    """A scan of the desk in the store (unit: the centre), checked against the original."""
    actor = user("tinh.tiepnhan")
    with time_machine.travel(STORE_DAY, tick=False):
        document = store_document_store(
            actor=actor,
            code=code,
            owner=PERSON,
            paper=Paper(title="Giấy tờ số hóa"),
            source=StoreSource.SCAN,
            file=_file(),
            unit=unit or centre(),
        )
        if checked:
            document = store_document_verify(
                actor=actor,
                document=document,
                signed_file=_file("ky.pdf"),
                signature_verdict="valid",
                signature_signer="Trung tâm Phục vụ hành chính công",
            )
    return document


def issued(code, source, unit, moment, dossier=None):
    with time_machine.travel(moment, tick=False):
        return store_document_issue(
            actor=user("tinh.tiepnhan"),
            code=code,
            owner=PERSON,
            paper=Paper(title="Kết quả"),
            source=source,
            file=_file(),
            unit=unit,
            signature_verdict="valid",
            signature_signer="Sở Tư pháp",
            dossier_code=dossier.code if dossier else "",
            dossier_id=dossier.pk if dossier else None,
        )


def components(dossier):
    """The dossier's components in the catalog's order."""
    return list(DossierComponent.objects.filter(dossier=dossier).order_by("component__order", "pk"))


def link(row, document=None, **fields):
    DossierComponent.objects.filter(pk=row.pk).update(store_document=document, **fields)


def upload(dossier, component_id, source):
    return DossierFile.objects.create(
        dossier=dossier,
        component_id=component_id,
        source=source,
        file=_file(),
        added_at=dossier.received_at,
    )


def build_digitisation_world():
    march = at(2026, 3, 2, 9, 0)
    m1, m2, m3, m4, m8 = (receive(march) for _ in range(5))
    a, b = components(m1)
    card = scanned("SH-M1-A")
    link(a, card)
    link(b, scanned("SH-M1-B"), reused=True, reuse_rule="Giấy tờ còn giá trị")
    link(components(m2)[0], scanned("SH-M2-A", checked=False))
    Dossier.objects.filter(pk=m4.pk).update(channel="online")
    a4, b4 = components(m4)
    upload(m4, a4.component_id, "upload")
    upload(m4, b4.component_id, "reused")
    link(b4, None, reused=True)
    a8, b8 = components(m8)
    link(a8, scanned("SH-M8-A"))
    DossierComponent.objects.filter(pk=b8.pk).update(originals=0, copies=0)

    m5, m6, m7 = (approve(march, at(2026, 3, 5, 10, 0)) for _ in range(3))
    link(components(m5)[0], scanned("SH-M5"))
    link(components(m6)[0], scanned("SH-M6"))
    result_file(m5, "valid")
    result_file(m6, "")
    issued("KQ-M7", StoreSource.RESULT, department(), at(2026, 3, 5, 10, 0), m7)

    a1 = receive(at(2026, 4, 6, 9, 0))
    first, second = components(a1)
    link(first, card)
    link(second, card, reused=True)
    issued("BSCT-1", StoreSource.CERTIFIED_COPY, department(), at(2026, 4, 7, 9, 0))
    # The rows above were written directly, not through the services whose events keep the
    # dossiers' digitisation flags: compute them the same way those events do.
    for dossier in (m1, m2, m3, m4, m5, m6, m7, m8, a1):
        dossier.refresh_from_db()
        refresh_digitisation_flags(dossier)
    return {"m1": m1, "m2": m2, "m3": m3, "m4": m4, "m5": m5, "m6": m6, "m7": m7, "m8": m8}


def ids(dossiers, *names):
    return [dossiers[name].pk for name in sorted(names, key=lambda n: dossiers[n].pk)]
