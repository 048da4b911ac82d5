import pytest
from django.db.models import Count

from egov.demo.dossiers import load_demo_dossiers
from egov.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_demo_dossiers_cover_every_state_and_load_once(quang_ninh):
    codes = load_demo_dossiers(count=110)
    assert len(codes) == 5 and Dossier.objects.count() == 110
    statuses = dict(Dossier.objects.values_list("status").annotate(n=Count("id")))
    assert set(statuses) >= {
        "received",
        "processing",
        "interagency",
        "supplement_requested",
        "awaiting_payment",
        "result_ready",
        "result_in_transit",
        "returned",
        "withdrawn",
        "stopped",
    }
    assert Dossier.objects.exclude(apologised_at=None).exists()
    assert Dossier.objects.filter(assignee__username="tinh.chuyenvien").exists()
    assert Dossier.objects.filter(payments__purpose="fee").exists()
    assert Dossier.objects.filter(shipments__status="requested").exists()
    assert Dossier.objects.filter(receiving_unit__key="qn.x.hong-gai.diem").exists()
    assert load_demo_dossiers(count=110) == codes
    assert Dossier.objects.count() == 110
