"""What the client and the simulator share about the Cloud Signature Consortium API v2:
object identifiers and the digest each signature algorithm implies."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes

# Digest algorithms (hashAlgorithmOID) → (name, digest length in bytes).
DIGESTS: dict[str, tuple[str, int]] = {
    "2.16.840.1.101.3.4.2.1": ("sha256", 32),
    "2.16.840.1.101.3.4.2.2": ("sha384", 48),
    "2.16.840.1.101.3.4.2.3": ("sha512", 64),
}
DIGEST_OIDS = {name: oid for oid, (name, _) in DIGESTS.items()}


def hash_algorithm(name: str) -> hashes.HashAlgorithm:
    """The ``cryptography`` hash for a digest name of :data:`DIGESTS`."""
    if name == "sha384":
        return hashes.SHA384()
    if name == "sha512":
        return hashes.SHA512()
    if name == "sha256":
        return hashes.SHA256()
    raise ValueError(name)


RSA_ENCRYPTION = "1.2.840.113549.1.1.1"  # the digest then comes from hashAlgorithmOID
# Signature algorithms (signAlgo) that name their digest.
SIGN_ALGO_DIGESTS: dict[str, str] = {
    "1.2.840.113549.1.1.11": "sha256",  # sha256WithRSAEncryption
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "1.2.840.10045.4.3.2": "sha256",  # ecdsa-with-SHA256
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}
RSA_SIGN_ALGOS = (
    RSA_ENCRYPTION,
    "1.2.840.113549.1.1.11",
    "1.2.840.113549.1.1.12",
    "1.2.840.113549.1.1.13",
)
EC_SIGN_ALGOS = ("1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4")


def sign_algo_for(key_algorithm: str, digest: str) -> str:
    """The signAlgo OID for a key type ("rsa" or "ec") and a digest name ("sha256"…)."""
    algos = RSA_SIGN_ALGOS[1:] if key_algorithm == "rsa" else EC_SIGN_ALGOS
    for oid in algos:
        if SIGN_ALGO_DIGESTS[oid] == digest:
            return oid
    raise ValueError(f"no signature algorithm for {key_algorithm} with {digest}")


# The asynchronous authorization (HTTP 202 + credentials/authorizeCheck) does not name errors
# for "the user said no" and "nobody answered"; the simulator uses the codes OAuth 2.0 uses for
# the same situations on a second device (RFC 8628, §3.5). What VNPT SmartCA or Viettel MySign
# answer through a CSC front end is unconfirmed (chưa xác nhận).
ERROR_DECLINED = "access_denied"
ERROR_EXPIRED = "expired_token"
