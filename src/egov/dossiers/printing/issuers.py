"""Who issues and signs the notices the competent agency sends about a dossier: the apology
with a new date (Mẫu 04, NĐ 61/2018 Điều 19 khoản 9) and the notice of refusal during processing
(Điều 19 khoản 8). Both are the agency's, signed by its head — not the desk's."""

from __future__ import annotations

from dataclasses import dataclass

from egov.dossiers.models import Dossier, DossierEvent


@dataclass(frozen=True)
class Issuer:
    name: str  # the issuing agency, as printed in the header and the text
    signer: str  # the person who signed, printed under the signature block


def agency_of(dossier: Dossier) -> str:
    """The agency resolving the dossier: the unit it was handed to, else the procedure's
    competent unit, else (never handed off) the receiving unit."""
    unit = dossier.handling_unit or dossier.procedure_version.competent_unit
    return (unit or dossier.receiving_unit).name


def event_issuer(dossier: Dossier, event: DossierEvent) -> Issuer:
    """The issuer recorded on ``event`` (an apology records its agency and signer); events
    recorded before that fall back to the agency resolving the dossier and the actor."""
    data = event.data or {}
    signer = str(data.get("signer") or (event.actor.display_name if event.actor else ""))
    return Issuer(name=str(data.get("issuer_name") or agency_of(dossier)), signer=signer)
