import datetime as dt

import pytest
import time_machine

from egov.core import ratelimit
from egov.core.models import RateCounter

pytestmark = pytest.mark.django_db


def test_a_window_counts_each_subject_apart_and_a_new_window_starts_at_zero():
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, 5, tzinfo=dt.UTC), tick=False):
        assert [ratelimit.hit_key("t", "a", limit=2, window_seconds=60) for _ in range(3)] == [
            True,
            True,
            False,
        ]
        assert ratelimit.hit_key("t", "b", limit=2, window_seconds=60)
        assert ratelimit.over_limit("t", "a", limit=3, window_seconds=60)
        assert not ratelimit.over_limit("t", "b", limit=2, window_seconds=60)
        assert not any(row.key.split(":")[1] == "a" for row in RateCounter.objects.all())
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, 1, 0, tzinfo=dt.UTC), tick=False):
        assert ratelimit.hit_key("t", "a", limit=2, window_seconds=60)


def test_ended_windows_are_swept(monkeypatch):
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, 5, tzinfo=dt.UTC), tick=False):
        ratelimit.record("t", "old", window_seconds=60)
    monkeypatch.setattr(ratelimit, "SWEEP_EVERY", 1)
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, 5, 0, tzinfo=dt.UTC), tick=False):
        ratelimit.record("t", "new", window_seconds=60)
    assert RateCounter.objects.count() == 1
