"""Schemathesis with invalid inputs for every documented operation (see schemathesis_run)."""

from __future__ import annotations

import pytest
from schemathesis import GenerationMode

from egov.api.tests.schemathesis_run import (  # noqa: F401 (fixtures)
    every_operation_answers_as_documented,
    in_process_app,
    staff_key,
)

pytestmark = pytest.mark.django_db


def test_every_operation_answers_invalid_inputs_as_documented(staff_key: str) -> None:  # noqa: F811
    every_operation_answers_as_documented(GenerationMode.NEGATIVE, staff_key)
