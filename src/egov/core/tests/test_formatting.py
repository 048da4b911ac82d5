from egov.core.formatting import thousands, vnd


def test_money_is_written_with_dots_between_thousands():
    assert [thousands(n) for n in (0, 999, 1000, 1250000, -50000)] == [
        "0",
        "999",
        "1.000",
        "1.250.000",
        "-50.000",
    ]
    assert vnd(1250000) == "1.250.000 đ"
