from __future__ import annotations

from egov.dossiers.models import Dossier
from egov.ratings.models import Rating


def rating_for(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()
