import pytest
from django.db.models import Count

from egov.demo.dossiers import load_demo_dossiers
from egov.demo.showcase import SHOWCASE_CODES
from egov.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_demo_dossiers_cover_every_state_and_load_once(quang_ninh):
    codes = load_demo_dossiers(count=110)
    assert (
        len(codes) == 5 and Dossier.objects.count() == 110 + len(SHOWCASE_CODES) + 3
    )  # + the demo citizen's online ones
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
    assert Dossier.objects.filter(receiving_unit__key="qn.x.hong-gai.ttpvhcc").exists()
    assert load_demo_dossiers(count=110) == codes
    assert (
        Dossier.objects.count() == 110 + len(SHOWCASE_CODES) + 3
    )  # + the demo citizen's online ones


def test_showcase_codes_listed_in_the_readme_exist_with_their_story(quang_ninh, client):
    from pathlib import Path

    from egov.demo.showcase import SHOWCASE_CODES, showcase_present

    codes = load_demo_dossiers(count=5)
    assert codes[:3] == list(SHOWCASE_CODES) and showcase_present()
    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    assert all(code in readme for code in SHOWCASE_CODES)
    returned = client.get(f"/api/v1/public/dossiers/{SHOWCASE_CODES[0]}").json()
    assert returned["status"] == "returned"
    steps = [step["label"] for step in returned["steps"]]
    assert "Chuyển liên thông đến cơ quan phối hợp" in steps
    assert steps[-1] == "Bưu chính đã phát kết quả"
    times = [step["at"] for step in returned["steps"]]
    assert times == sorted(times) and times[-1].startswith("2025-10")
    waiting = Dossier.objects.get(code=SHOWCASE_CODES[1])
    assert waiting.status == "supplement_requested"
    assigned = Dossier.objects.get(code=SHOWCASE_CODES[2])
    assert assigned.assignee.username == "tinh.chuyenvien2"


def test_demo_citizen_has_online_dossiers_to_try(quang_ninh):
    from egov.accounts.models import User
    from egov.demo.citizens import CITIZEN_USERNAME

    load_demo_dossiers(count=5)
    citizen = User.objects.get(username=CITIZEN_USERNAME)
    assert citizen.citizen_profile.phone == "+84912345678"
    states = sorted(Dossier.objects.filter(owner=citizen).values_list("status", flat=True))
    assert states == ["awaiting_online_reception", "awaiting_payment", "returned"]
    returned = Dossier.objects.get(owner=citizen, status="returned")
    assert returned.files.filter(source="result", code=returned.result_code).exists()
