"""Schemathesis over docs/openapi.json against the Django WSGI app, with the demo data and a
valid staff API key: every answer must be documented (status code, content type, body shape)
and none may be a 5xx. Bounded: a few examples per operation, derandomized (fixed seed).

The valid inputs (``test_schemathesis_positive``) and the invalid ones
(``test_schemathesis_negative``) are two modules so that the suite's two workers run them at
the same time (``--dist loadfile`` gives a module to one worker)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from egov.accounts.models import Role, User
from egov.accounts.scopes import Scope
from egov.accounts.services import api_client_create
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception
from egov.org.models import Unit

SCHEMA_PATH = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"
EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture
def in_process_app():
    """The WSGI app serves in this thread, inside the test's transaction: as Django's test
    client does, keep the connection open across requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_key(quang_ninh, in_process_app):
    _client, key = api_client_create(
        actor=None,
        name="schemathesis",
        unit=Unit.objects.get(key="qn.ttpvhcc"),
        role=Role.RECEPTIONIST,
        scopes=Scope.values,  # every operation is tried; the role still limits what succeeds
        rate_limit_per_minute=1_000_000,
    )
    return key


def _run(operation, mode, *, key: str, real: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode), use_real=st.booleans())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    def run(case, use_real):
        # Half the cases name a real dossier (or procedure), so that the operations get past
        # the 404 and their inputs reach the services.
        if use_real and case.path_parameters and "code" in case.path_parameters:
            is_procedure = "/procedures/" in operation.path
            case.path_parameters["code"] = real["procedure" if is_procedure else "dossier"]
        case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)

    run()


def every_operation_answers_as_documented(mode: GenerationMode, key: str) -> None:
    receptionist = User.objects.get(username="tinh.tiepnhan")
    real = {
        "dossier": dossier_receive(actor=receptionist, reception=reception()).code,
        "procedure": "1.001612",
    }
    failures = []
    for result in _schema().get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"docs/openapi.json: {result.err()}")
            continue
        operation = result.ok()
        try:
            _run(operation, mode, key=key, real=real)
        except Unsatisfiable:
            pass  # nothing to make invalid (an operation without parameters)
        except (Exception, FailureGroup) as exc:  # every operation is tried; all reported
            failures.append(f"{operation.label} [{mode.value}]: {exc}")
    assert not failures, "\n\n".join(failures)
