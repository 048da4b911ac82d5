"""The two library fixes of egov.signing.library_fixes (installed by the app on startup)."""

from __future__ import annotations

import io

import pytest
from asn1crypto import core
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

from egov.signing.library_fixes import definite_long_form, read_hex_string


class _Flagged(core.Sequence):  # type: ignore[misc]
    _fields = [("flag", core.Boolean), ("padding", core.OctetString)]


def _ber_sequence(padding: int) -> bytes:
    # BOOLEAN TRUE written as 0x01: allowed in BER, DER wants 0xFF; re-encoding changes it.
    content = b"\x01\x01\x01" + b"\x04" + _length(padding) + bytes(padding)
    return b"\x30" + _length(len(content)) + content


def _ber_sequence_of_length(size: int) -> bytes:
    padding = next(p for p in range(size) if 4 + len(_length(p)) + p == size)
    return _ber_sequence(padding)


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


@pytest.mark.parametrize("total", [128, 384, 640])
def test_a_parsed_value_whose_length_ends_in_0x80_is_written_back_unchanged(total: int) -> None:
    data = _ber_sequence_of_length(total)
    assert data[1:].startswith(_length(total)) and _length(total)[-1] == 0x80
    assert _Flagged.load(data).dump() == data


def test_a_value_of_indefinite_length_is_still_rewritten_as_der() -> None:
    ber = b"\x30\x80" + b"\x01\x01\x01" + b"\x04\x02ab" + b"\x00\x00"
    assert _Flagged.load(ber).dump() == b"\x30\x07\x01\x01\xff\x04\x02ab"


def test_a_structure_under_construction_around_such_a_value_dumps_as_der() -> None:
    inner = _Flagged.load(_ber_sequence(123))
    outer = core.SequenceOf(spec=_Flagged)
    outer.append(inner)
    outer.append(_Flagged({"flag": False, "padding": b"x"}))
    dumped = outer.dump()
    assert dumped == (
        b"\x30" + _length(len(inner.dump()) + 8) + inner.dump() + b"\x30\x06\x01\x01\x00\x04\x01x"
    )
    assert core.SequenceOf.load(dumped, spec=_Flagged).native == [
        {"flag": True, "padding": bytes(123)},
        {"flag": False, "padding": b"x"},
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"\x30\x81\x80", True),
        (b"\x04\x82\x01\x80", True),
        (b"\x30\x80", False),
        (b"\xa0\x82\x01\x84\x30\x82\x01\x80", True),
        (b"\xa0\x80\x30\x80", False),
        (b"\x1f\x81\x01\x81\x80", True),
        (b"\x30\x82\x01", False),
    ],
)
def test_definite_long_form(header: bytes, expected: bool) -> None:
    assert definite_long_form(header) is expected


def _read(data: bytes) -> tuple[bytes, bytes]:
    stream = io.BytesIO(data)
    value = read_hex_string(stream)
    return value.original_bytes, stream.read()


def test_hex_strings_decode_as_pyhanko_decodes_them() -> None:
    assert _read(b"<48 65\n6c\r6C\t6f\x00>rest") == (b"Hello", b"rest")
    assert _read(b"<414>/Next") == (b"A@", b"/Next")
    assert _read(b"<>") == (b"", b"")
    assert _read(b"<4" + b"1" * 200_001 + b">x")[1] == b"x"


def test_hex_strings_with_a_comment_go_to_pyhanko_s_reader() -> None:
    assert _read(b"<41 % a comment > still\n42>tail") == (b"AB", b"tail")


@pytest.mark.parametrize("data", [b"<41 4G>", b"<41 42"])
def test_broken_hex_strings_fail_as_in_pyhanko(data: bytes) -> None:
    with pytest.raises(PdfStreamError):
        read_hex_string(io.BytesIO(data))


def test_the_pdf_reader_uses_the_one_pass_reader() -> None:
    assert generic.read_hex_string_from_stream is read_hex_string
    value = generic.read_object(io.BytesIO(b"<4142> "), generic.Reference(1, 0))
    assert isinstance(value, generic.ByteStringObject | generic.TextStringObject)
    assert value.original_bytes == b"AB"
