"""Damaged and hostile PDFs: ``verify_pdf`` answers with a verdict and never raises."""

from __future__ import annotations

import random

import pytest
from asn1crypto import cms

from egov.signing.services import Level, sign_pdf
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import Verdict, verify_pdf

DATA_OID = bytes.fromhex("06092a864886f70d010701")  # id-data
OTHER_OID = bytes.fromhex("06092a864886f70d010703")  # id-envelopedData


def build_pdf(objects: list[bytes]) -> bytes:
    """A one-revision PDF of the given object bodies (numbered from 1; 1 is the catalog)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def with_signature_value(value: bytes) -> bytes:
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"<< /FT /Sig /T (Sig) /V 5 0 R >>",
            value,
        ]
    )


SIG_HEAD = b"/Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"


@pytest.mark.parametrize(
    "value",
    [
        b"<< "
        + SIG_HEAD
        + b" /ByteRange [0 10 20 10] /Contents <00> /Foo "
        + b"[" * 50_000
        + b"]" * 50_000
        + b" >>",
        b"<< " + SIG_HEAD + b" /ByteRange [0 10 20 10] /Contents <3082> >>",
        b"<< " + SIG_HEAD + b" /Contents <3082> >>",
        b"<< " + SIG_HEAD + b" /ByteRange [0 99999999999 0 1] /Contents <3082> >>",
    ],
    ids=["nested-arrays", "truncated-cms", "no-byterange", "huge-byterange"],
)
def test_unreadable_signature_values_are_invalid(value):
    result = verify_pdf(with_signature_value(value))
    assert result.verdict in {Verdict.INVALID, Verdict.NOT_PDF}
    if result.verdict == Verdict.INVALID:
        assert [(s.field_name, s.verdict, s.intact) for s in result.signatures] == [
            ("Sig", Verdict.INVALID, False)
        ]


@pytest.fixture(scope="module")
def b_lt(signer_for) -> bytes:
    return sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig", level=Level.B_LT)


def _contents(data: bytes) -> tuple[int, int]:
    start = data.index(b"/Contents <") + len(b"/Contents <")
    return start, data.index(b">", start)


def test_unknown_cms_content_type_is_invalid(b_lt):
    # Formerly an AttributeError ('external_md_algorithm') out of pyHanko.
    start, end = _contents(b_lt)
    contents = b_lt[start:end]
    changed = contents.replace(DATA_OID.hex().upper().encode(), OTHER_OID.hex().upper().encode(), 1)
    assert changed != contents
    result = verify_pdf(b_lt[:start] + changed + b_lt[end:])
    assert result.verdict == Verdict.INVALID
    assert [s.verdict for s in result.signatures] == [Verdict.INVALID]


def _flipped(data: bytes, rng: random.Random, low: int, high: int) -> bytes:
    flipped = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4])):
        position = rng.randrange(low, high)
        flipped[position] = rng.choice(b"0123456789ABCDEF".replace(bytes([data[position]]), b""))
    return bytes(flipped)


def test_byte_flips_in_the_signed_part_of_the_cms_are_invalid(b_lt):
    start, end = _contents(b_lt)
    der = bytes.fromhex(b_lt[start:end].decode())
    info = cms.ContentInfo.load(der)["content"]["signer_infos"][0]
    # Hex offsets of the signed attributes and the signature value inside /Contents.
    low = start + 2 * der.index(info["signed_attrs"].dump()[2:])
    high = start + 2 * (der.index(info["signature"].contents) + len(info["signature"].contents))
    rng = random.Random(11)
    for _ in range(30):
        result = verify_pdf(_flipped(b_lt, rng, low, high))
        assert result.verdict == Verdict.INVALID
        assert [s.verdict for s in result.signatures] == [Verdict.INVALID]


def test_byte_flips_anywhere_in_the_cms_never_raise(b_lt):
    start, end = _contents(b_lt)
    used = start + len(b_lt[start:end].rstrip(b"0"))
    rng = random.Random(1)
    seen = set()
    for _ in range(40):
        result = verify_pdf(_flipped(b_lt, rng, start, used))
        # The file's structure is intact: one signature, judged (an unused embedded
        # certificate may be hit without consequence).
        assert len(result.signatures) == 1
        seen.add(result.verdict)
    assert Verdict.INVALID in seen
    assert seen <= {Verdict.INVALID, Verdict.VALID, Verdict.UNTRUSTED, Verdict.INDETERMINATE}


def test_a_signature_in_an_unsupported_format_is_reported_invalid(b_lt):
    old_format = b_lt.replace(b"/ETSI.CAdES.detached", b"/adbe.x509.rsa_sha1 ")
    result = verify_pdf(old_format)
    assert result.verdict == Verdict.INVALID
    assert result.message == "Chữ ký không hợp lệ: định dạng chữ ký số không được hỗ trợ."
    assert [(s.field_name, s.verdict) for s in result.signatures] == [("Sig", Verdict.INVALID)]


@pytest.mark.parametrize(
    ("tail", "verdict"),
    [
        (b"", Verdict.VALID),
        (b"\r\n \n", Verdict.VALID),
        (b"\nGARBAGE bytes not covered\n", Verdict.MODIFIED),
        (b"\n4 0 obj\n<< /Length 10 >>\nstream\nBT ET q Q\nendstream\nendobj\n", Verdict.MODIFIED),
    ],
    ids=["nothing", "whitespace", "junk", "object-without-xref"],
)
def test_bytes_after_the_last_revision(b_lt, tail, verdict):
    result = verify_pdf(b_lt + tail)
    assert result.verdict == verdict
    assert [s.modified_after for s in result.signatures] == [verdict == Verdict.MODIFIED]


def test_junk_behind_a_repeated_file_end_is_modified(b_lt):
    start = b_lt.rindex(b"startxref")
    repeated_end = b_lt[start:]
    assert verify_pdf(b_lt + b"\n% not covered\n" + repeated_end).verdict == Verdict.MODIFIED
