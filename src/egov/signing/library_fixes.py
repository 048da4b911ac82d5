"""Four fixes to the libraries signing rests on, installed once when the app loads
(``SigningConfig.ready``). Each gives the library's own results, byte for byte; drop each one
when the library ships a fix (``install`` skips a function that no longer has the flaw).

1. asn1crypto 1.5.1 (github.com/wbond/asn1crypto issue 249, open): ``dump()`` takes every
   encoding whose header *ends* in 0x80 for one of indefinite length and re-encodes the value
   from scratch. Definite lengths of 128, 384, 640… bytes end in 0x80 too (``81 80``,
   ``82 01 80``). So (a) a parsed value of such a length is rewritten as DER when it is
   written back: a BER-encoded structure someone signed changes and its signature no longer
   checks; (b) inside a structure still being assembled (pyHanko's CMS signature container
   before it goes into the PDF) the re-encoding repeats at every level above it, and writing
   the container took 30-100 s instead of a few milliseconds for about one signature in
   twenty (the timestamp token's length varies from call to call). The guard reads the length
   octets themselves.

2. pyHanko 0.38 reads a hexadecimal string (``<…>``) through its tokenizer one byte per call.
   A signature's /Contents is 32 kB of hex (the room reserved for it,
   ``services.RESERVED_HEX_DIGITS``) and every verification reads it: ~10 ms per 16 kB. The
   replacement decodes the same bytes in one pass and hands anything unusual (a comment
   inside, a stray character, no closing ``>``) to pyHanko's reader, so errors and corner
   cases stay exactly pyHanko's.

3. asn1crypto compares certificate names (RFC 5280 §7.1) after the string preparation of
   RFC 4518, a pass through Python's stringprep tables character by character, once per name
   object: a verification compares the same few names (signer, CA, TSA) in freshly parsed
   copies about fifty times, a quarter of its time. The prepared form depends on the string
   alone and is remembered (4,096 strings at most); a string it refuses is refused each time.

4. Even with (3), comparing two names walks both trees (every RDN's types and values, through
   asn1crypto's lazy parsing) on each of the ~50 comparisons of a verification, and the index
   of a certificate registry (``Name.hashable``) walks them again: about a fifth of a
   verification. What a name compares by (per RDN: its size and its type-to-prepared-value
   map, exactly what asn1crypto compares) and its ``hashable`` are a function of the name's
   encoding alone, so both are computed once per encoding, from a fresh parse of those bytes,
   and remembered (4,096 encodings at most). Keying by the bytes rather than by the object
   means a name changed after its first comparison is still compared by what it now holds.
   A name whose key cannot be computed (a string the preparation refuses, a broken
   encoding) goes to asn1crypto's own comparison, which then raises or answers as it would.
"""

from __future__ import annotations

import binascii
import functools
import re
from collections.abc import Callable
from typing import IO, Any

from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic

# Classes whose own dump() holds the flawed test (the others inherit or delegate to these).
_DUMPING_CLASSES = (
    asn1_core.Asn1Value,
    asn1_core.Choice,
    asn1_core.Primitive,
    asn1_core.Sequence,
    asn1_core.SequenceOf,
)
_INDEFINITE = b"\x80"
_HEX_CHUNK = 64 * 1024
_PDF_WHITESPACE = re.compile(rb"[\x00\t\n\x0c\r ]+")
_HEX_DIGITS = re.compile(rb"[0-9A-Fa-f]*")


def definite_long_form(header: bytes) -> bool:
    """Whether the innermost length in ``header`` (one or more identifier and length octet
    groups: explicit tags come first) is a definite long-form length. False when ``header``
    cannot be read, so the library's own handling applies."""
    position = 0
    definite = False
    while position < len(header):
        if header[position] & 0x1F == 0x1F:
            # High tag number: the tag continues while the top bit is set.
            position += 1
            while position < len(header) and header[position] & 0x80:
                position += 1
        position += 1
        if position >= len(header):
            return False
        length = header[position]
        definite = length > 0x80
        position += 1 + (length & 0x7F if definite else 0)
    return definite and position == len(header)


def _guarded_dump(dump: Callable[..., bytes]) -> Callable[..., bytes]:
    @functools.wraps(dump)
    def guarded(self: Any, force: bool = False) -> bytes:
        header = self._header
        fake = header is not None and header[-1:] == _INDEFINITE and definite_long_form(header)
        if fake and not force:
            # Recomputed from the unchanged contents: the same DER header, nothing else.
            self._header = None
        return dump(self, force)

    guarded.egov_guarded = True  # type: ignore[attr-defined]
    return guarded


_pyhanko_read_hex = generic.read_hex_string_from_stream


def read_hex_string(stream: IO[bytes]) -> generic.ByteStringObject | generic.TextStringObject:
    """pyHanko's ``read_hex_string_from_stream`` in one pass (``stream`` is at the ``<``)."""
    start = stream.tell()
    stream.read(1)
    body = bytearray()
    while True:
        chunk = stream.read(_HEX_CHUNK)
        end = chunk.find(b">")
        if end >= 0:
            body += chunk[:end]
            break
        if not chunk:
            stream.seek(start)
            return _pyhanko_read_hex(stream)
        body += chunk
    digits = _PDF_WHITESPACE.sub(b"", bytes(body))
    if not _HEX_DIGITS.fullmatch(digits):
        stream.seek(start)
        return _pyhanko_read_hex(stream)
    stream.seek(start + len(body) + 2)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


_asn1_string_prep = asn1_x509.NameTypeAndValue._ldap_string_prep


@functools.lru_cache(maxsize=4096)
def _prepared(string: str) -> str:
    prepared: str = _asn1_string_prep(None, string)
    return prepared


def _remembered_string_prep(self: Any, string: object) -> str:
    if isinstance(string, str):
        return _prepared(string)
    prepared: str = _asn1_string_prep(self, string)
    return prepared


_asn1_name_eq = asn1_x509.Name.__eq__
_asn1_name_hashable: property = asn1_x509.Name.hashable

_NameForms = tuple[tuple[tuple[int, frozenset[tuple[str, str]]], ...], str]


@functools.lru_cache(maxsize=4096)
def _name_forms(encoded: bytes) -> _NameForms | None:
    """The comparison key and ``hashable`` of the RDNSequence ``encoded``; None when asn1crypto
    cannot compute them (its own comparison then raises, or answers without them)."""
    try:
        rdns = asn1_x509.RDNSequence.load(encoded)
        # RelativeDistinguishedName.__eq__: same size, then same type -> prepared value map.
        key = tuple((len(rdn), frozenset(rdn._get_values(rdn).items())) for rdn in rdns)
        hashable: str = rdns.hashable
    except Exception:  # whatever it is, asn1crypto's own code meets it again
        return None
    return key, hashable


def _forms_of(name: Any) -> _NameForms | None:
    try:
        encoded = name.chosen.dump()
    except Exception:  # as above
        return None
    return _name_forms(encoded)


def _name_eq(self: Any, other: object) -> bool:
    if not isinstance(other, asn1_x509.Name):
        return False
    mine, theirs = _forms_of(self), _forms_of(other)
    if mine is None or theirs is None:
        equal: bool = _asn1_name_eq(self, other)
        return equal
    return mine[0] == theirs[0]


def _name_hashable(self: Any) -> str:
    forms = _forms_of(self)
    if forms is None:
        hashable: str = _asn1_name_hashable.fget(self)  # type: ignore[misc]
        return hashable
    return forms[1]


def install() -> None:
    for cls in _DUMPING_CLASSES:
        dump = cls.__dict__["dump"]
        if getattr(dump, "egov_guarded", False) or _INDEFINITE not in dump.__code__.co_consts:
            continue
        cls.dump = _guarded_dump(dump)
    generic.read_hex_string_from_stream = read_hex_string
    asn1_x509.NameTypeAndValue._ldap_string_prep = _remembered_string_prep
    if asn1_x509.Name.__eq__ is _asn1_name_eq:
        asn1_x509.Name.__eq__ = _name_eq
        # Name.__ne__ is ``not self == other``: it follows.
        asn1_x509.Name.hashable = property(_name_hashable)
