"""JSON parsing that remembers on which line each object starts, so that data files can be
rejected with line-numbered errors."""

from __future__ import annotations

import bisect
import json
from json import scanner as json_scanner
from typing import Any

# The pure-Python pieces of the json module (not in its typing stubs).
json_decoder: Any = json.decoder


class LineDict(dict[str, Any]):
    line: int = 0


def loads_with_lines(text: str) -> Any:
    """``json.loads`` whose objects are ``LineDict`` carrying the line they start on."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    decoder = json.JSONDecoder()

    def parse_object(
        s_and_end: tuple[str, int],
        strict: bool,
        scan_once: Any,
        object_hook: Any,
        object_pairs_hook: Any,
        memo: Any = None,
        _w: Any = json_decoder.WHITESPACE.match,
    ) -> tuple[LineDict, int]:
        start = s_and_end[1]
        obj, end = json_decoder.JSONObject(
            s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo, _w
        )
        result = LineDict(obj)
        result.line = bisect.bisect_left(newlines, start) + 1
        return result, end

    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json_scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder.decode(text)
