"""The demo's e-mail backend: the console output as before, plus a copy of each message in the
recipient's folder of the simulated mailbox (see the package)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage as ParsedMessage
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

KEPT_PER_RECIPIENT = 50  # older messages are deleted when a new one arrives


def mailbox_dir() -> Path:
    return Path(settings.VAR_DIR) / "mailbox"


def _folder(address: str) -> Path:
    # A digest, not the address: no path built from user input.
    key = hashlib.sha256(address.strip().casefold().encode()).hexdigest()[:32]
    return mailbox_dir() / key


def keep(message: EmailMessage) -> None:
    """File ``message`` in the folder of each of its recipients."""
    data = message.message().as_bytes()
    for recipient in message.recipients():
        folder = _folder(email.utils.parseaddr(recipient)[1] or recipient)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{time.time_ns()}-{uuid.uuid4().hex}.eml").write_bytes(data)
        for old in sorted(folder.glob("*.eml"))[:-KEPT_PER_RECIPIENT]:
            old.unlink(missing_ok=True)


class EmailBackend(ConsoleBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(email_messages)
        for message in email_messages:
            keep(message)
        return sent


@dataclass(frozen=True)
class KeptMessage:
    at: datetime
    sender: str
    subject: str
    text: str


def _text(parsed: ParsedMessage) -> str:
    body = parsed.get_body(preferencelist=("plain", "html"))
    return body.get_content() if body is not None else ""


def messages_for(address: str) -> list[KeptMessage]:
    """The messages kept for ``address``, newest first."""
    folder = _folder(address)
    if not folder.is_dir():
        return []
    kept = []
    for path in sorted(folder.glob("*.eml"), reverse=True):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(parsed, ParsedMessage)
        at = datetime.fromtimestamp(int(path.name.split("-", 1)[0]) / 1e9, tz=UTC)
        kept.append(
            KeptMessage(
                at=at,
                sender=str(parsed.get("From", "")),
                subject=str(parsed.get("Subject", "")),
                text=_text(parsed),
            )
        )
    return kept
