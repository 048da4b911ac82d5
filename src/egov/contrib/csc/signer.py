"""A pyHanko signer whose key lives at a CSC API v2 service: each signature is confirmed by the
signer on their phone, then computed remotely (signatures/signHash)."""

from __future__ import annotations

import asyncio
import hashlib

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egov.contrib.csc.client import CredentialInfo, CscClient


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class CscSigner(Signer):
    def __init__(
        self,
        client: CscClient,
        credential_id: str,
        *,
        description: str = "",
        credential: CredentialInfo | None = None,
    ) -> None:
        """Fetches the certificate chain with ``credentials/info`` unless ``credential`` is
        given; ``description`` is shown on the signer's phone (at most 500 characters)."""
        info = credential or client.credential_info(credential_id)
        self.client, self.credential, self.description = client, info, description
        chain = [_asn1(c) for c in info.chain]
        super().__init__(
            signing_cert=chain[0],
            cert_registry=SimpleCertificateStore.from_certs(chain[1:]),
        )

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:  # pyHanko sizes the signature first: no request to the phone for that
            return bytes(self._placeholder_size())
        digest = hashlib.new(digest_algorithm, data).digest()
        return await asyncio.to_thread(
            self.client.sign_digest,
            self.credential,
            digest,
            digest_name=digest_algorithm,
            description=self.description,
        )

    def _placeholder_size(self) -> int:
        size = (self.credential.key_length + 7) // 8
        if isinstance(self.credential.certificate.public_key(), rsa.RSAPublicKey):
            return size
        return 2 * size + 9  # a DER ECDSA-Sig-Value at its longest
