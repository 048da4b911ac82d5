"""Views and API endpoints load dossiers only through ``dossiers.permissions`` (issue 10,
point 3), and official documents only through ``documents.permissions`` (issue 11): no page
or endpoint module reads a dossier, its events, components, files, payments, shipments, a
counter notice, or a document with its events, versions, assignments or recipients through
the model's manager, where the access check would be one forgotten line away. A dossier
obtained from the permission module may of course be followed to its own rows
(``dossier.events``, ``dossier.files``)."""

from __future__ import annotations

import ast
from pathlib import Path

import egov

ROOT = Path(egov.__file__).parent
# Page and endpoint modules: every .py file under these, tests and migrations aside.
SCANNED = (
    "workspace",
    "portal",
    "payments/views.py",
    "dossiers/*api*.py",
    "api",
    # Official documents (issue 11): their pages and endpoints load through
    # ``documents.permissions`` too.
    "documents/*api*.py",
    "documents/views*.py",
    "datastore/*api*.py",
    "datastore/views*.py",
    "reports/api_feedback.py",
    "helpdesk/*api*.py",
)
PROTECTED = frozenset(
    {
        "Dossier",
        "DossierEvent",
        "DossierComponent",
        "DossierFile",
        "DossierPayment",
        "ResultShipment",
        "CounterNotice",
        "IncomingDocument",
        "IncomingEvent",
        "Assignment",
        "OutgoingDocument",
        "OutgoingEvent",
        "OutgoingVersion",
        "OutgoingRecipient",
        "FileCatalogue",
        "WorkFile",
        "WorkFileEvent",
        "WorkFileDocument",
        "ElectronicCopy",
        "CopyEvent",
        "RemoteSigningRequest",
        "RemoteSigningItem",
        "RemoteSigningEvent",
        # The data store (issue 16): owners through ``datastore.permissions``, officers
        # through ``dossiers.store_access``.
        "StoreDocument",
        "StoreDocumentEvent",
        # Certified copies (issue 16 §5): through ``certification.permissions``.
        "CertificationEntry",
        "CertificationEvent",
        # Feedback (issue 17): through ``feedback.permissions``.
        "Feedback",
        "FeedbackEvent",
        # The hotline's call log (issue 17 §7; callers' personal data) and the knowledge
        # base's drafts: through ``helpdesk.permissions``.
        "HotlineCall",
        "Question",
        "QuestionEvent",
        # The queue (issue 17): through ``centre.permissions`` (numbers may carry a name and
        # a phone; sessions say who works where).
        "Ticket",
        "TicketEvent",
        "CounterSession",
        # Online appointments (issue 17 §3): a name, a phone and an e-mail; the citizen's
        # page by its random key, staff through the centres they oversee.
        "Appointment",
        "AppointmentEvent",
    }
)
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# Modules under the scanned folders that are not views, with the reason.
ALLOWED = {
    "portal/services.py": "the portal's services (draft submission), not a view",
}


def _model_name(node: ast.expr) -> str | None:
    """``Dossier`` for ``Dossier`` or ``models.Dossier``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def direct_loads(source: str) -> list[tuple[int, str]]:
    """(line, model) for each load of a protected model that bypasses the permission module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            name = _model_name(node.value)
            if name in PROTECTED:
                found.append((node.lineno, name))
        elif isinstance(node, ast.Call) and node.args:
            function = _model_name(node.func)
            name = _model_name(node.args[0])
            if function in SHORTCUTS and name in PROTECTED:
                found.append((node.lineno, name))
    return sorted(found)


def scanned_files() -> list[Path]:
    files: set[Path] = set()
    for pattern in SCANNED:
        for match in ROOT.glob(pattern):
            candidates = match.rglob("*.py") if match.is_dir() else [match]
            files.update(
                path
                for path in candidates
                if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
            )
    return sorted(files)


def test_no_view_or_endpoint_loads_a_dossier_past_the_permission_module():
    files = scanned_files()
    names = {path.relative_to(ROOT).as_posix() for path in files}
    # The scan reaches each kind of module it is meant for (a moved folder would empty it).
    assert {
        "workspace/views/dossier.py",
        "portal/mine.py",
        "payments/views.py",
        "dossiers/staff_api.py",
        "dossiers/staff_api_desk.py",
        "api/api.py",
    } <= names
    assert set(ALLOWED) <= names
    offences = [
        f"{name}:{line} {model}"
        for path in files
        if (name := path.relative_to(ROOT).as_posix()) not in ALLOWED
        for line, model in direct_loads(path.read_text(encoding="utf-8"))
    ]
    assert offences == []


def test_the_check_catches_a_planted_direct_load():
    planted = """
from django.shortcuts import get_object_or_404
from egov.dossiers import models
from egov.dossiers.models import Dossier, DossierEvent

def page(request, code):
    dossier = Dossier.objects.get(code=code)
    events = models.DossierEvent.objects.filter(dossier__code=code)
    other = get_object_or_404(Dossier, code=code)
    files = dossier.files.all()  # fine: the dossier's own rows
    payments = OnlinePayment.objects.all()  # fine: not a dossier model
    letters = OutgoingDocument.objects.filter(pk=1)
    return DossierEvent._default_manager.none()
"""
    assert direct_loads(planted) == [
        (7, "Dossier"),
        (8, "DossierEvent"),
        (9, "Dossier"),
        (12, "OutgoingDocument"),
        (13, "DossierEvent"),
    ]
