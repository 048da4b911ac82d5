"""Shared helpers of the dossier tests (persona An, the Quảng Ninh service centre)."""

from egov.accounts.models import User
from egov.catalog.selectors import version_by_code
from egov.dossiers.services.reception import Applicant, Reception
from egov.org.models import Unit

AN = Applicant(kind="citizen", name="Nguyễn Văn An", personal_id="022084000123", phone="0912345678")


def reception(code="1.001612", channel="counter", applicant=AN):
    version = version_by_code(code)
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
