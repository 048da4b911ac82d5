"""Who may see which store documents. Every read of a store document for a user goes through
here (a test fails on a direct query elsewhere).

- The owner: documents of the account's own dossiers, and — once the personal ID or tax code
  comes from the national identity platform (VNeID), not typed in — every document kept under
  it. Only documents in force or withdrawn are shown; a scan waiting for the officer's check is
  not yet the owner's document.
- Officers see a person's documents only while handling a dossier of that person:
  ``dossiers.store_access`` (one floor up) decides that and records every look.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from egov.accounts.actors import Actor, person
from egov.contrib.vneid.identity import IDENTITY_SOURCE
from egov.datastore.models import OwnerKind, StoreDocument, StoreState

# Identity sources whose personal ID is verified (the national SSO), see accounts.CitizenProfile.
VERIFIED_IDENTITY_SOURCES = frozenset({IDENTITY_SOURCE})
OWNER_VISIBLE_STATES = (StoreState.VALID, StoreState.REVOKED)


def own_store_documents(actor: Actor) -> QuerySet[StoreDocument]:
    user = person(actor)
    if user is None:
        return StoreDocument.objects.none()
    mine = Q(owner_account=user)
    profile = getattr(user, "citizen_profile", None)
    if profile is not None and profile.identity_source in VERIFIED_IDENTITY_SOURCES:
        if profile.personal_id:
            mine |= Q(owner_kind=OwnerKind.PERSON, owner_identifier=profile.personal_id)
        if profile.tax_code:
            mine |= Q(owner_kind=OwnerKind.ORGANISATION, owner_identifier=profile.tax_code)
    return StoreDocument.objects.filter(mine, state__in=OWNER_VISIBLE_STATES).select_related(
        "kind", "file", "signed_file", "unit"
    )


def get_own_store_document(actor: Actor, code: str) -> StoreDocument | None:
    return own_store_documents(actor).filter(code=code).first()
