"""Several PDF signatures confirmed once on the signer's phone.

pyHanko computes what the key must sign (the digest of the CMS signed attributes) deep inside
``PdfSigner.sign_pdf``, one document at a time. To ask the phone once for several documents,
each document is signed as usual — by the caller's own signing function, unchanged — in a
thread of its own, with a member signer whose raw signature waits here. Once every document
has handed in its digest (or failed before it got there), :meth:`CscBatch.sign_all` sends one
``credentials/authorize`` with all of them (``numSignatures`` = their count) and one
``signatures/signHash``, and hands each waiting document its signature. A credential whose
``multisign`` is smaller than the batch is asked in groups of ``multisign`` (one confirmation
per group).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils.translation import gettext as _

from egov.contrib.csc.client import CredentialInfo, CscClient, CscError
from egov.contrib.csc.signer import CscSigner

T = TypeVar("T")


@dataclass
class _Slot:
    """One document of the batch: its digest once pyHanko asked for the signature."""

    digest: bytes = b""
    digest_name: str = ""
    ended: bool = False  # the document's job returned or raised
    signature: bytes = b""
    error: Exception | None = None
    answered: threading.Event = field(default_factory=threading.Event)

    def answer(self, signature: bytes = b"", error: Exception | None = None) -> None:
        self.signature, self.error = signature, error
        self.answered.set()


class _MemberSigner(CscSigner):
    def __init__(self, batch: CscBatch, slot: _Slot) -> None:
        super().__init__(
            batch.client,
            batch.credential.credential_id,
            description=batch.description,
            credential=batch.credential,
        )
        self.batch, self.slot = batch, slot

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(self._placeholder_size())
        self.batch.hand_in(
            self.slot, hashlib.new(digest_algorithm, data).digest(), digest_algorithm
        )
        # The phone may take minutes; the batch answers every slot, also when it fails.
        self.slot.answered.wait()
        if self.slot.error is not None:
            raise self.slot.error
        return self.slot.signature


class CscBatch:
    def __init__(self, client: CscClient, credential: CredentialInfo, *, description: str) -> None:
        """``description`` is shown on the signer's phone (at most 500 characters)."""
        self.client, self.credential, self.description = client, credential, description
        self._changed = threading.Condition()

    def hand_in(self, slot: _Slot, digest: bytes, digest_name: str) -> None:
        with self._changed:
            if slot.digest:
                raise CscError(
                    _("Dịch vụ ký số từ xa trả lời không đúng giao thức."), error="twice"
                )
            slot.digest, slot.digest_name = digest, digest_name
            self._changed.notify_all()

    def sign_all(self, jobs: Sequence[Callable[[CscSigner], T]]) -> list[T | Exception]:
        """Run each job (a function that signs one document with the signer it is given) in
        a thread of its own; returns, in order, what each job returned or the exception it
        raised (``CscDeclined``, ``CscTimeout``… when the phone did not confirm)."""
        slots = [_Slot() for _ in jobs]
        results: list[T | Exception] = [CscError("")] * len(jobs)

        def run(index: int) -> None:
            try:
                results[index] = jobs[index](_MemberSigner(self, slots[index]))
            except Exception as exc:  # reported to the caller with the other results
                results[index] = exc
            finally:
                with self._changed:
                    slots[index].ended = True
                    self._changed.notify_all()

        threads = [
            threading.Thread(target=run, args=(i,), name=f"egov-csc-batch-{i}", daemon=True)
            for i in range(len(jobs))
        ]
        for thread in threads:
            thread.start()
        try:
            with self._changed:
                self._changed.wait_for(lambda: all(s.digest or s.ended for s in slots))
            self._ask_the_phone([s for s in slots if s.digest and not s.ended])
        finally:
            for slot in slots:  # nobody is left waiting, whatever happened above
                if not slot.answered.is_set():
                    slot.answer(
                        error=CscError(_("Dịch vụ ký số từ xa trả lời không đúng giao thức."))
                    )
            for thread in threads:
                thread.join()
        return results

    def _ask_the_phone(self, waiting: list[_Slot]) -> None:
        size = max(1, self.credential.multisign)
        by_digest: dict[str, list[_Slot]] = {}
        for slot in waiting:
            by_digest.setdefault(slot.digest_name, []).append(slot)
        for digest_name, slots in by_digest.items():
            for start in range(0, len(slots), size):
                group = slots[start : start + size]
                try:
                    signatures = self.client.sign_digests(
                        self.credential,
                        [s.digest for s in group],
                        digest_name=digest_name,
                        description=self.description,
                    )
                except CscError as exc:
                    for slot in waiting:
                        if not slot.answered.is_set():
                            slot.answer(error=exc)
                    return
                for slot, signature in zip(group, signatures, strict=True):
                    slot.answer(signature=signature)
