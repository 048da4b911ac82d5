"""Search of the knowledge base, as the catalog searches procedures (catalog.search): the
text is stored folded (``core.text.fold``: no case, no diacritics, đ→d), so "dang ky ket hon"
finds "Đăng ký kết hôn", and a question matches when it holds every word of the query, the
last one also as a prefix (people type "ket h…").

- SQLite: the folded text is padded with spaces and each word is looked for whole
  (" ket hon "): the knowledge base is hundreds of rows, not the catalog's thousands, and the
  order is the keyset order of the lists (newest first), so no FTS table is needed.
- PostgreSQL: as the catalog, a stored generated ``search_vector`` column
  (``to_tsvector('simple', search_text)``) with a GIN index (migration 0002), matched with
  ``to_tsquery('simple', 'w1 & w2 & last:*')``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from egov.core.text import fold, fold_words
from egov.helpdesk.models import Question

MAX_TERMS = 12


def search_text_of(question: Question) -> str:
    parts = [question.question, question.answer, question.legal_basis]
    return f" {fold(' '.join(parts))} "


def query_terms(query: str) -> list[str]:
    terms: list[str] = []
    for term in fold_words(query):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def matching(questions: QuerySet[Question], query: str) -> QuerySet[Question]:
    """``questions`` whose text holds every word of ``query`` (all of them when the query
    has no word)."""
    terms = query_terms(query)
    if not terms:
        return questions
    last = len(terms) - 1
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{t}:*" if i == last else t for i, t in enumerate(terms))
        found = RawSQL(
            "helpdesk_question.search_vector @@ to_tsquery('simple', %s)",
            [tsquery],
            output_field=BooleanField(),
        )
        return questions.alias(found=found).filter(found=True)
    for index, term in enumerate(terms):
        whole = f" {term}" if index == last else f" {term} "
        questions = questions.filter(search_text__contains=whole)
    return questions
