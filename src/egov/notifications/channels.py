"""One interface per delivery channel; the backend of each comes from the settings.

``send`` returns the provider's id for the message or raises ``DeliveryError``: temporary
(retry later) or permanent (give up; for Zalo, fall back to SMS)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from egov.contrib.sms.esms import EsmsGateway, SmsError
from egov.contrib.sms.phone import receive
from egov.contrib.zalo.zns import ZnsError, ZnsGateway


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    key: str
    channel: str
    recipient: str
    subject: str
    body: str
    payload: dict[str, Any] = field(default_factory=dict)


class ChannelBackend(Protocol):
    def send(self, message: Outgoing) -> str: ...


class OutboxOnly:
    """Keeps the message in the outbox as sent, without calling anyone (demo and tests; staff
    read the text on the dossier page). Outside production the text also reaches the
    simulated phone (``contrib.sms.phone``), the only place a masked code can be read."""

    def send(self, message: Outgoing) -> str:
        if settings.EGOV_SIMULATED_PHONE:
            receive(message.recipient, message.body)
        return f"outbox:{message.key}"


class DjangoEmail:
    """Django's configured e-mail backend (SMTP relay in production, console in development)."""

    def send(self, message: Outgoing) -> str:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"X-Egov-Message": message.key},
        )
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise DeliveryError(
                f"e-mail refused: {exc.__class__.__name__}", permanent=True
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"e-mail not sent: {exc.__class__.__name__}") from None
        return f"email:{message.key}"


class EsmsSms:
    def __init__(self) -> None:
        self.gateway = EsmsGateway(
            url=settings.EGOV_SMS_API_URL,
            api_key=settings.EGOV_SMS_API_KEY,
            secret_key=settings.EGOV_SMS_SECRET_KEY,
            brandname=settings.EGOV_SMS_BRANDNAME,
            sandbox=settings.EGOV_SMS_SANDBOX,
            timeout=settings.EGOV_NOTIFY_TIMEOUT_SECONDS,
        )

    def send(self, message: Outgoing) -> str:
        try:
            return self.gateway.send(
                phone=message.recipient, text=message.body, request_id=message.key
            )
        except SmsError as exc:
            raise DeliveryError(str(exc)) from None


class ZnsZalo:
    def __init__(self) -> None:
        self.gateway = ZnsGateway(
            url=settings.EGOV_ZALO_API_URL,
            access_token=settings.EGOV_ZALO_ACCESS_TOKEN,
            timeout=settings.EGOV_NOTIFY_TIMEOUT_SECONDS,
        )

    def send(self, message: Outgoing) -> str:
        try:
            return self.gateway.send(
                phone=message.recipient,
                template_id=str(message.payload["template_id"]),
                template_data=dict(message.payload["template_data"]),
                tracking_id=message.key,
            )
        except ZnsError as exc:
            raise DeliveryError(str(exc), permanent=exc.permanent) from None


def backend_for(channel: str) -> ChannelBackend:
    if channel == "email":
        return DjangoEmail()
    if channel == "sms":
        return EsmsSms() if settings.EGOV_SMS_BACKEND == "esms" else OutboxOnly()
    if channel == "zalo":
        return ZnsZalo() if settings.EGOV_ZALO_BACKEND == "zns" else OutboxOnly()
    raise ValueError(f"unknown channel {channel}")
