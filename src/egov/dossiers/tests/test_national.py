from egov.catalog.models import ChannelKind
from egov.dossiers.models import DossierStatus
from egov.dossiers.national import national_channel_code, national_status_code


def test_every_status_and_channel_has_a_national_code():
    codes = [national_status_code(status) for status in DossierStatus.values]
    assert sorted(set(codes)) == list(range(1, 11))
    # Our finer statuses map onto the national ones without inventing codes.
    assert national_status_code(DossierStatus.INTERAGENCY) == 4
    assert national_status_code(DossierStatus.RESULT_IN_TRANSIT) == 9
    assert national_status_code(DossierStatus.RETURNED) == 10
    assert national_status_code(DossierStatus.SUPPLEMENT_REQUESTED) == 5
    assert [national_channel_code(c) for c in ("counter", "online", "post")] == [1, 2, 3]
    assert {national_channel_code(c) for c in ChannelKind.values} == {1, 2, 3}
