"""The official evaluation of dossier handling (TT 01/2018/TT-VPCP Điều 12–15) as versioned
data: nine indices scored 2/1/0 on objective thresholds, the per-index averages and the grades
of officers and units. The numbers live in ``data/evaluation-indices.json``, one version per
effective date; this module only reads them and applies them.

Who answers what (Điều 14 khoản 3): indices 1, 3, 4 and 7 come from the applicant (paper form,
device at the desk, the online form); 2 and 9 are computed from the dossiers' own records
(``ratings.system``); 5, 6 and 8 are assessed per unit from inspections and reports (Điều 14
khoản 3 điểm c), recorded as ``UnitAssessment`` rows with the facts they rest on."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).with_name("data") / "evaluation-indices.json"

EARLY, ON_TIME, LATE = "early", "on_time", "late"
TIMINGS = (EARLY, ON_TIME, LATE)


@dataclass(frozen=True)
class Index:
    number: int
    name: str
    citation: str
    source: str  # citizen | system | assessment
    scope: str  # dossier | unit
    kind: str
    thresholds: dict[str, Any]
    confirmed: bool
    note: str


@dataclass(frozen=True)
class Grade:
    min: Decimal
    label: str


@dataclass(frozen=True)
class IndexSet:
    key: str
    valid_from: dt.date
    valid_until: dt.date | None
    basis: str
    confirmed: bool
    note: str
    indices: dict[int, Index]
    officer_indices: tuple[int, ...]
    unit_indices: tuple[int, ...]
    decimals: int
    aggregation_citation: str
    officer_grades: tuple[Grade, ...]
    officer_grades_citation: str
    unit_grades: tuple[Grade, ...]
    unit_grades_citation: str
    extra_questions: tuple[tuple[str, str], ...]
    extra_levels: dict[int, str]
    extra_note: str

    def index(self, number: int) -> Index:
        return self.indices[number]


def _grades(raw: dict[str, Any]) -> tuple[Grade, ...]:
    grades = [Grade(Decimal(str(g["min"])), g["label"]) for g in raw["grades"]]
    return tuple(sorted(grades, key=lambda g: g.min, reverse=True))


def _parse(raw: dict[str, Any]) -> IndexSet:
    extra = raw["extra_questions"]
    return IndexSet(
        key=raw["key"],
        valid_from=dt.date.fromisoformat(raw["valid_from"]),
        valid_until=dt.date.fromisoformat(raw["valid_until"]) if raw["valid_until"] else None,
        basis=raw["basis"],
        confirmed=bool(raw["confirmed"]),
        note=raw.get("note", ""),
        indices={
            item["number"]: Index(
                number=item["number"],
                name=item["name"],
                citation=item["citation"],
                source=item["source"],
                scope=item["scope"],
                kind=item["kind"],
                thresholds=item["thresholds"],
                confirmed=bool(item["confirmed"]),
                note=item.get("note", ""),
            )
            for item in raw["indices"]
        },
        officer_indices=tuple(raw["officer_indices"]),
        unit_indices=tuple(raw["unit_indices"]),
        decimals=int(raw["aggregation"]["decimals"]),
        aggregation_citation=raw["aggregation"]["citation"],
        officer_grades=_grades(raw["officer_grades"]),
        officer_grades_citation=raw["officer_grades"]["citation"],
        unit_grades=_grades(raw["unit_grades"]),
        unit_grades_citation=raw["unit_grades"]["citation"],
        extra_questions=tuple((q["key"], q["label"]) for q in extra["questions"]),
        extra_levels={int(k): v for k, v in extra["levels"].items()},
        extra_note=extra.get("note", ""),
    )


@cache
def index_sets() -> tuple[IndexSet, ...]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(sorted((_parse(v) for v in raw["versions"]), key=lambda s: s.valid_from))


def index_set_on(day: dt.date) -> IndexSet:
    """The version in force on ``day`` (the latest one that started by then)."""
    current = [
        s
        for s in index_sets()
        if s.valid_from <= day and (s.valid_until is None or day < s.valid_until)
    ]
    if not current:
        raise LookupError(f"no evaluation index set in force on {day}")
    return current[-1]


def index_set_by_key(key: str) -> IndexSet | None:
    return next((s for s in index_sets() if s.key == key), None)


# -- Scores of one dossier or one unit (each returns 2, 1 or 0) ------------------------------


def score_timing(index: Index, timing: str) -> int:
    """Indices 1 and 2: shorter than, equal to or longer than the allowed time."""
    return int(index.thresholds[timing])


def score_count(index: Index, count: int) -> int:
    """Indices 3 and 4: no contact, one contact, more than one."""
    if count < 0:
        raise ValueError("count must not be negative")
    key = "none" if count == 0 else "one" if count == 1 else "more"
    return int(index.thresholds[key])


def score_conduct(index: Index, *, timing: str, complaint: bool) -> int:
    """Index 7: a complaint about harassment or unlawful conduct scores 0; otherwise early or
    on-time handling scores 2 or 1 (late without complaint: the data says, unconfirmed)."""
    if complaint:
        return int(index.thresholds["complaint"])
    return int(index.thresholds[f"{timing}_no_complaint"])


def score_desk_model(
    index: Index, *, level: str, full_handling_share: Decimal, at_desk_share: Decimal
) -> int:
    """Index 5: the share of the unit's procedures received, examined and decided at the desk
    reaches the level's minimum → 2; every procedure (not exempted by NĐ 61/2018 Điều 14
    khoản 5) received and returned at the desk → 1; otherwise 0."""
    minimum = Decimal(str(index.thresholds["full_handling_min_share"][level]))
    if full_handling_share >= minimum:
        return 2
    if at_desk_share >= Decimal(str(index.thresholds["all_at_desk_share"])):
        return 1
    return 0


def score_publicity(index: Index, *, posted: bool, electronic: bool) -> int:
    """Index 6: published accurately, fully and in time both on the notice board and
    electronically → 2; in one of the two forms → 1; otherwise 0."""
    key = "both" if posted and electronic else "one" if posted or electronic else "none"
    return int(index.thresholds[key])


def score_feedback(index: Index, *, total: int, on_time: int, prolonged: int) -> int:
    """Index 8: no feedback, or all of it handled on time and none prolonged → 2; at least
    90 % on time and none prolonged → 1; otherwise 0."""
    if total < 0 or on_time < 0 or prolonged < 0 or on_time > total:
        raise ValueError("inconsistent feedback counts")
    if prolonged:
        return 0
    if total == 0:
        return 2
    share = Decimal(on_time) / Decimal(total)
    if share >= Decimal(str(index.thresholds["full_share"])):
        return 2
    if share >= Decimal(str(index.thresholds["partial_min_share"])):
        return 1
    return 0


def score_online(
    index: Index, *, procedures_share: Decimal, dossiers_share: Decimal, online_failed: int
) -> int:
    """Index 9: ≥ 20 % of eligible procedures online, ≥ 30 % of dossiers online and no online
    dossier unresolved or late → 2; online services offered, 15–30 % online dossiers and none
    unresolved or late → 1; otherwise 0."""
    limits = index.thresholds
    if online_failed or procedures_share <= 0:
        return 0
    if dossiers_share < Decimal(str(limits["dossiers_low_share"])):
        return 0
    if procedures_share >= Decimal(str(limits["procedures_min_share"])) and dossiers_share >= (
        Decimal(str(limits["dossiers_high_share"]))
    ):
        return 2
    return 1


# -- Aggregation and grades (Điều 15) --------------------------------------------------------


def index_average(scores: list[int], *, decimals: int) -> Decimal | None:
    """Điểm số của chỉ số thứ i = tổng điểm của các hồ sơ / tổng số hồ sơ, rounded to one
    decimal (Điều 15 khoản 2 điểm a); None without any scored dossier (the index is left out,
    Điều 15 khoản 4 điểm b)."""
    if not scores:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(quantum, ROUND_HALF_UP)


def total_of(averages: dict[int, Decimal | None]) -> Decimal:
    return sum((v for v in averages.values() if v is not None), Decimal(0))


def grade_of(total: Decimal, grades: tuple[Grade, ...]) -> str:
    for grade in grades:
        if total >= grade.min:
            return grade.label
    return grades[-1].label


# -- The applicant's questions (the form; the wording is ours, the scale is the index's) ----


@dataclass(frozen=True)
class Question:
    key: str
    index: int
    label: Any
    choices: tuple[tuple[str, Any], ...]


CITIZEN_QUESTIONS = (
    Question(
        "timing",
        1,
        _("Ông/bà nhận kết quả so với ngày hẹn trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        (
            (EARLY, _("Sớm hơn ngày hẹn")),
            (ON_TIME, _("Đúng ngày hẹn")),
            (LATE, _("Muộn hơn ngày hẹn")),
        ),
    ),
    Question(
        "contacts",
        3,
        _(
            "Số lần ông/bà phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ "
            "(kể cả liên hệ trực tuyến)"
        ),
        (("0", _("Không lần nào")), ("1", _("Một lần")), ("2", _("Hơn một lần"))),
    ),
    Question(
        "agencies",
        4,
        _("Số cơ quan, đơn vị, tổ chức ông/bà phải liên hệ để hoàn thiện hồ sơ"),
        (
            ("0", _("Không phải liên hệ cơ quan nào")),
            (
                "1",
                _(
                    "Chỉ Bộ phận Một cửa (và cơ quan pháp luật giao kiểm tra, xác minh thực "
                    "địa hoặc tổ chức hội đồng thẩm định, nếu có)"
                ),
            ),
            ("2", _("Hơn một cơ quan, đơn vị, tổ chức")),
        ),
    ),
    Question(
        "complaint",
        7,
        _(
            "Ông/bà có gặp hành vi nhũng nhiễu, gây phiền hà, không thực hiện hoặc thực hiện "
            "không đúng quy định của cán bộ, công chức, viên chức không?"
        ),
        (("no", _("Không")), ("yes", _("Có"))),
    ),
)


def citizen_scores(index_set: IndexSet, answers: dict[str, str]) -> dict[str, int]:
    """The applicant's answers (already checked against the choices) → scores of indices 1,
    3, 4 and 7, keyed by the index number as text (JSON keys)."""
    timing = answers["timing"]
    return {
        "1": score_timing(index_set.index(1), timing),
        "3": score_count(index_set.index(3), int(answers["contacts"])),
        "4": score_count(index_set.index(4), int(answers["agencies"])),
        "7": score_conduct(
            index_set.index(7), timing=timing, complaint=answers["complaint"] == "yes"
        ),
    }
