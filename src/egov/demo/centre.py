"""Demo queue: service lines and counters at the provincial centre and at the Hồng Gai commune
centre (kiosk /xep-hang/<centre>/, board /xep-hang/<centre>/man-hinh/, online appointments
/dat-lich-hen/<centre>/). Running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from egov.catalog.models import ProcedureField
from egov.centre.models import Counter, CounterService, ServiceLine
from egov.org.models import Unit

WORKDAYS = range(5)


@dataclass(frozen=True)
class DemoLine:
    code: str
    name: str
    fields: tuple[str, ...] = ()
    priority: bool = False


@dataclass(frozen=True)
class DemoCentre:
    unit_key: str
    lines: tuple[DemoLine, ...]
    # counter number → the line codes it calls on working days
    counters: dict[int, str]


PRIORITY = DemoLine(
    "U", "Ưu tiên (người cao tuổi, phụ nữ mang thai, người khuyết tật)", priority=True
)
DEMO_CENTRES = (
    DemoCentre(
        "qn.ttpvhcc",
        (
            DemoLine(
                "A",
                "Hộ tịch, chứng thực, lý lịch tư pháp",
                ("ho-tich", "chung-thuc", "ly-lich-tu-phap"),
            ),
            DemoLine("B", "Đất đai, xây dựng", ("dat-dai", "xay-dung")),
            DemoLine(
                "C", "Kinh doanh và thủ tục khác", ("ho-kinh-doanh", "bao-tro-xa-hoi", "cu-tru")
            ),
            PRIORITY,
        ),
        {1: "UA", 2: "A", 3: "UB", 4: "BC"},
    ),
    DemoCentre(
        "qn.x.hong-gai.ttpvhcc",
        (
            DemoLine("A", "Hộ tịch, chứng thực, cư trú", ("ho-tich", "chung-thuc", "cu-tru")),
            DemoLine(
                "B", "Đất đai, xây dựng, kinh doanh", ("dat-dai", "xay-dung", "ho-kinh-doanh")
            ),
            PRIORITY,
        ),
        {1: "UA", 2: "AB"},
    ),
)


@transaction.atomic
def load_demo_queue() -> None:
    for demo in DEMO_CENTRES:
        centre = Unit.objects.get(key=demo.unit_key)
        lines: dict[str, ServiceLine] = {}
        for order, spec in enumerate(demo.lines):
            line, created = ServiceLine.objects.get_or_create(
                centre=centre,
                code=spec.code,
                defaults={"name": spec.name, "priority": spec.priority, "order": order},
            )
            if created:
                line.fields.set(ProcedureField.objects.filter(code__in=spec.fields))
            lines[spec.code] = line
        for number, codes in demo.counters.items():
            counter, created = Counter.objects.get_or_create(centre=centre, number=number)
            if not created:
                continue
            for code in codes:
                for weekday in WORKDAYS:
                    CounterService.objects.create(
                        counter=counter,
                        line=lines[code],
                        weekday=weekday,
                        # One online appointment a slot per counter on the ordinary lines;
                        # the priority line is for whoever comes.
                        appointment_places=0 if lines[code].priority else 1,
                    )
