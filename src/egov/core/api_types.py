"""Constrained text for API schemas: stripped, bounded and free of control characters (the
same rule as the forms and services, egov.core.inputs). Use as metadata of ``Annotated``:

    name: Annotated[str, Text(255, min_length=1)]
    address: Annotated[str, Column(Dossier, "applicant_address")]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from annotated_types import GroupedMetadata
from django.db import models
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from egov.core.inputs import column_length, text_problem


def _no_control_chars(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise PydanticCustomError("control_characters", problem)
    return value


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """At most ``max_length`` characters after stripping, no control characters."""

    max_length: int
    min_length: int = 0

    def __iter__(self) -> Iterator[Any]:
        yield from StringConstraints(
            strip_whitespace=True, max_length=self.max_length, min_length=self.min_length or None
        )
        yield AfterValidator(_no_control_chars)


def Column(model: type[models.Model], name: str, *, min_length: int = 0) -> Text:
    """Text limited like the model column it is stored in."""
    return Text(column_length(model, name), min_length=min_length)
