"""Feedback received by e-mail.

A mailbox is read through ``MailSource`` (the adapter interface): anything that yields
``IncomingMail``. In trials the source is the simulated mailbox (``egov.contrib.mailbox``,
``SimulatedMailbox``): mail sent to the support centre's address is kept in its folder there.
A production adapter (IMAP, or the province's mail gateway) yields the same rows with the
message's own Message-ID. Each message becomes one feedback, once: the id is kept on the
feedback (``source_message_id``) and a message already read is skipped.
"""

from __future__ import annotations

import email.utils
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from egov.accounts.actors import SYSTEM
from egov.contrib.mailbox.backend import messages_for
from egov.feedback.models import Feedback, FeedbackChannel, FeedbackKind
from egov.feedback.services import FeedbackError, Submission, Submitter, feedback_submit
from egov.org.models import Unit


@dataclass(frozen=True)
class IncomingMail:
    message_id: str
    sender: str  # "Name <address>" or a bare address
    subject: str
    text: str


class MailSource(Protocol):
    def messages(self) -> Iterable[IncomingMail]: ...


class SimulatedMailbox:
    """The messages the simulated mailbox keeps for ``address`` (trials only)."""

    def __init__(self, address: str) -> None:
        self.address = address

    def messages(self) -> Iterable[IncomingMail]:
        for kept in reversed(messages_for(self.address)):  # oldest first
            digest = hashlib.sha256(
                f"{kept.at.isoformat()}\n{kept.sender}\n{kept.subject}\n{kept.text}".encode()
            ).hexdigest()
            yield IncomingMail(
                message_id=f"sim-{digest[:40]}",
                sender=kept.sender,
                subject=kept.subject,
                text=kept.text,
            )


@dataclass(frozen=True)
class MailReadResult:
    received: list[Feedback]
    skipped: int  # already read
    refused: list[tuple[str, str]]  # (message id, reason)


def feedback_read_mail(*, source: MailSource, centre: Unit) -> MailReadResult:
    """Turn each new message of ``source`` into a feedback at ``centre`` (the system acts)."""
    received: list[Feedback] = []
    refused: list[tuple[str, str]] = []
    skipped = 0
    for mail in source.messages():
        message_id = mail.message_id.strip()[:255]
        if Feedback.objects.filter(source_message_id=message_id).exists():
            skipped += 1
            continue
        name, address = email.utils.parseaddr(mail.sender)
        try:
            with transaction.atomic():
                feedback, _secret = feedback_submit(
                    actor=SYSTEM,
                    centre=centre,
                    channel=FeedbackChannel.EMAIL,
                    submission=Submission(
                        # The centre corrects the kind when it classifies.
                        kind=FeedbackKind.REFLECTION,
                        title=mail.subject.strip()[:300] or _("(thư không có tiêu đề)"),
                        content=mail.text,
                        submitter=Submitter(name=name or address, email=address),
                    ),
                )
                feedback.source_message_id = message_id
                feedback.save(update_fields=["source_message_id"])
        except FeedbackError as exc:
            refused.append((message_id, str(exc)))
        except IntegrityError:
            skipped += 1  # read at the same time by another run
        else:
            received.append(feedback)
    return MailReadResult(received=received, skipped=skipped, refused=refused)
