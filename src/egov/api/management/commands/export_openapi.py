from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.api.api import api


def schema_text() -> str:
    schema = api.get_openapi_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Ghi lược đồ OpenAPI ra tệp, hoặc --check so với tệp đã commit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output")
        parser.add_argument("--check")

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        if options["check"]:
            committed = Path(options["check"]).read_text(encoding="utf-8")
            if committed != text:
                self.stderr.write(
                    f"{options['check']} khác lược đồ sinh ra — chạy `make openapi` và commit."
                )
                sys.exit(1)
            self.stdout.write("OpenAPI: khớp.")
            return
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
