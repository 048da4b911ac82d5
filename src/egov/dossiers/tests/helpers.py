"""Shared helpers of the dossier tests (persona An, the Quảng Ninh service centre)."""

import datetime as dt

from egov.accounts.models import User
from egov.catalog.selectors import version_by_code
from egov.dossiers.services.reception import Applicant, Reception
from egov.org.models import Unit

AN = Applicant(kind="citizen", name="Nguyễn Văn An", personal_id="022084000123", phone="0912345678")


# Lý lịch tư pháp moved to the police on 01/07/2026 (Luật 107/2025/QH15, NĐ 216/2026/NĐ-CP):
# test_criminal_record_police.py covers a dossier received today (Công an tỉnh). The tests
# that exercise a provincial department's staff (Sở Tư pháp: Chi, Xuân, Dũng…) receive it under
# the version in force until then, which the dossier keeps (the desk picks the version).
PROVINCIAL = "qn-cap-phieu-ly-lich-tu-phap"
PROVINCIAL_DAY = dt.date(2026, 6, 30)


def provincial_version():
    return version_by_code(PROVINCIAL, PROVINCIAL_DAY)


def reception(code="1.001612", channel="counter", applicant=AN):
    version = provincial_version() if code == PROVINCIAL else version_by_code(code)
    components = {c.pk: (1, 0) for c in version.components.filter(required=True)}
    return Reception(
        unit=Unit.objects.get(key="qn.ttpvhcc"),
        version=version,
        channel=channel,
        applicant=applicant,
        components=components,
    )


def user(name):
    return User.objects.get(username=name)
