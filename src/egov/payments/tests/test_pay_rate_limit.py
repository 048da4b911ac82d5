"""The payment page tells whether a dossier code exists: it is rate-limited per client IP like
the public lookup (issue 9, point 13), sharing the lookup's budget."""

import pytest
import time_machine

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-27 09:00:10+07:00", tick=False)
def test_payment_page_is_not_an_unlimited_code_oracle(quang_ninh, client, settings):
    settings.EGOV_LOOKUP_RATE_PER_MINUTE = 3
    for number in range(3):
        response = client.get(f"/thanh-toan/000.00.89.H49-251006-{900 + number:04d}/")
        assert response.status_code == 404
    refused = client.get("/thanh-toan/000.00.89.H49-251006-0001/")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút." in text
    assert "payment-due" not in text  # nothing about the dossier is shown
    assert client.post("/thanh-toan/000.00.89.H49-251006-0001/").status_code == 429
    # one budget with the public lookup, so the two pages cannot be combined
    lookup = client.get("/tra-cuu-ho-so/", {"ma": "000.00.89.H49-251006-0001"})
    assert lookup.status_code == 429


@time_machine.travel("2026-11-27 09:00:10+07:00", tick=False)
def test_the_lookup_budget_also_covers_the_payment_page(quang_ninh, client, settings):
    settings.EGOV_LOOKUP_RATE_PER_MINUTE = 2
    for _ in range(2):
        client.get("/tra-cuu-ho-so/", {"ma": "000.00.89.H49-251006-0999"})
    assert client.get("/thanh-toan/000.00.89.H49-251006-0999/").status_code == 429
    # another client (IP) is not affected
    other = client.get("/thanh-toan/000.00.89.H49-251006-0999/", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 404
