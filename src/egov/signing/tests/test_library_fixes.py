"""The library fixes of egov.signing.library_fixes (installed by the app on startup)."""

from __future__ import annotations

import io

import pytest
from asn1crypto import core, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

from egov.signing.library_fixes import (
    _asn1_name_eq,
    _name_forms,
    definite_long_form,
    read_hex_string,
)


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


def _rdn(*pairs: tuple[str, str, str]) -> x509.RelativeDistinguishedName:
    return x509.RelativeDistinguishedName(
        [
            x509.NameTypeAndValue(
                {"type": kind, "value": x509.DirectoryString(name=encoding, value=value)}
            )
            for kind, encoding, value in pairs
        ]
    )


def _name(*rdns: x509.RelativeDistinguishedName) -> x509.Name:
    return x509.Name(name="", value=x509.RDNSequence(list(rdns)))


def _leader() -> x509.Name:
    return x509.Name.build({"common_name": "Nguyễn Văn A", "organization_name": "UBND tỉnh X"})


_NAME_PAIRS = [
    # RFC 4518 preparation: case folded, inner spaces collapsed, outer ones dropped.
    (
        x509.Name.build({"common_name": "  NGUYỄN  văn a ", "organization_name": "ubnd TỈNH x"}),
        True,
    ),
    (x509.Name.load(_leader().dump()), True),
    (x509.Name.build({"common_name": "Nguyễn Văn B", "organization_name": "UBND tỉnh X"}), False),
    (x509.Name.build({"common_name": "Nguyễn Văn A"}), False),
    (
        x509.Name.build({"common_name": "Nguyễn Văn A", "organizational_unit_name": "UBND tỉnh X"}),
        False,
    ),
    (
        x509.Name.build(
            {"common_name": "Nguyễn Văn A", "organization_name": "UBND tỉnh X"},
            use_printable=False,
        ),
        True,
    ),
]


@pytest.mark.parametrize(("other", "expected"), _NAME_PAIRS)
def test_names_compare_as_asn1crypto_compares_them(other: x509.Name, expected: bool) -> None:
    leader = _leader()
    assert (leader == other) is expected
    assert (other == leader) is expected
    assert (leader != other) is not expected
    assert _asn1_name_eq(leader, other) is expected
    # asn1crypto's own Name.hashable is its RDNSequence's (which the fix leaves alone).
    assert other.hashable == other.chosen.hashable
    assert (other.hashable == leader.hashable) is expected


def test_a_multi_valued_rdn_compares_regardless_of_order_and_string_type() -> None:
    one = _name(
        _rdn(("common_name", "utf8_string", "A"), ("organization_name", "utf8_string", "B"))
    )
    two = _name(
        _rdn(("organization_name", "printable_string", "b"), ("common_name", "utf8_string", "a "))
    )
    assert one == two
    assert one.hashable == two.hashable == one.chosen.hashable
    assert one != _name(_rdn(("common_name", "utf8_string", "A")))
    assert one != _name(
        _rdn(("common_name", "utf8_string", "A")), _rdn(("organization_name", "utf8_string", "B"))
    )


def test_a_name_changed_after_a_comparison_compares_by_what_it_holds() -> None:
    leader = _leader()
    name = x509.Name.load(leader.dump())
    assert name == leader
    name.chosen[0][0]["value"] = x509.DirectoryString(name="utf8_string", value="Khác")
    assert name != leader
    assert _asn1_name_eq(name, leader) is False
    assert name.hashable == name.chosen.hashable != leader.hashable


def test_a_name_the_preparation_refuses_fails_as_in_asn1crypto() -> None:
    private_use = x509.Name.build({"common_name": "\ue000", "organization_name": "UBND tỉnh X"})
    for _ in range(2):
        with pytest.raises(ValueError, match="private use"):
            assert private_use == _leader()
        with pytest.raises(ValueError, match="private use"):
            assert private_use.hashable
    # asn1crypto answers without preparing when the shapes already differ.
    assert private_use != x509.Name.build({"common_name": "x"})


def test_a_name_is_never_equal_to_something_else() -> None:
    leader = _leader()
    assert leader != leader.dump()
    assert leader != leader.chosen


def test_what_a_name_compares_by_is_worked_out_once_per_encoding() -> None:
    _name_forms.cache_clear()
    leader = _leader()
    copies = [x509.Name.load(leader.dump()) for _ in range(3)]
    assert all(copy == leader for copy in copies)
    assert {copy.hashable for copy in copies} == {leader.hashable}
    assert _name_forms.cache_info().misses == 1
