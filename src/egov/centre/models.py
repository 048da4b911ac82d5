"""The queue of a service centre: counters, service lines, receptionists' counter sessions,
numbered tickets and their events.

A centre is an ``org.Unit`` that receives applicants (``org.models.RECEIVING_KINDS``: the
provincial Trung tâm Phục vụ hành chính công, the commune centres, one-stop desks). A ticket is
numbered per centre, service line and day without gaps (``core.numbering``), e.g. "A012".
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.org.models import RECEIVING_KINDS

LINE_CODE_RE = re.compile(r"^[A-Z]$")
validate_line_code = RegexValidator(LINE_CODE_RE, _("Ký hiệu dòng là một chữ cái in hoa, vd. A."))

WEEKDAYS = [
    (0, _("Thứ Hai")),
    (1, _("Thứ Ba")),
    (2, _("Thứ Tư")),
    (3, _("Thứ Năm")),
    (4, _("Thứ Sáu")),
    (5, _("Thứ Bảy")),
    (6, _("Chủ nhật")),
]


def _check_centre(unit_kind: str) -> None:
    if unit_kind not in RECEIVING_KINDS:
        raise ValidationError(
            {"centre": _("Chỉ Trung tâm Phục vụ hành chính công hoặc Bộ phận Một cửa có quầy.")}
        )


class ServiceLine(models.Model):
    """A line of the queue (dòng số) — one letter per centre — and the fields or procedures it
    serves; a priority line (ưu tiên) is called before the others (people aged, pregnant or
    with disabilities: the one-stop rules, NĐ 61/2018/NĐ-CP as amended by NĐ 107/2021/NĐ-CP, kept
    by NĐ 118/2025/NĐ-CP — article chưa xác nhận, docs/centre.md)."""

    centre = models.ForeignKey(
        "org.Unit",
        verbose_name=_("trung tâm"),
        on_delete=models.PROTECT,
        related_name="service_lines",
    )
    code = models.CharField(_("ký hiệu"), max_length=1, validators=[validate_line_code])
    name = models.CharField(_("tên dòng"), max_length=200)
    priority = models.BooleanField(
        _("dòng ưu tiên"),
        default=False,
        help_text=_("Người cao tuổi, phụ nữ mang thai, người khuyết tật… được gọi trước."),
    )
    fields = models.ManyToManyField(
        "catalog.ProcedureField", verbose_name=_("lĩnh vực"), blank=True, related_name="+"
    )
    procedures = models.ManyToManyField(
        "catalog.Procedure", verbose_name=_("thủ tục"), blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự trên kiosk"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("dòng số")
        verbose_name_plural = _("dòng số")
        ordering = ["centre", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="service_line_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.centre_id is not None:
            _check_centre(self.centre.kind)


class Counter(models.Model):
    """A counter (quầy) of a centre, numbered as the board and the ticket call it."""

    centre = models.ForeignKey(
        "org.Unit", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=200, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="counter_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="counter_number_min"),
        ]

    def __str__(self) -> str:
        label = _("Quầy %(number)s") % {"number": self.number}
        return f"{label} — {self.name}" if self.name else str(label)

    def clean(self) -> None:
        super().clean()
        if self.centre_id is not None:
            _check_centre(self.centre.kind)


class CounterService(models.Model):
    """On ``weekday`` (0 Monday … 6 Sunday) ``counter`` calls tickets of ``line``."""

    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), on_delete=models.CASCADE, related_name="services"
    )
    line = models.ForeignKey(
        ServiceLine, verbose_name=_("dòng số"), on_delete=models.CASCADE, related_name="services"
    )
    weekday = models.PositiveSmallIntegerField(_("ngày trong tuần"), choices=WEEKDAYS)
    appointment_places = models.PositiveSmallIntegerField(
        _("số lượt hẹn mỗi khung giờ"),
        default=0,
        help_text=_(
            "Số người đặt lịch hẹn trực tuyến quầy này nhận trong mỗi khung giờ của dòng số "
            "(0: dòng này không nhận hẹn tại quầy)."
        ),
    )

    class Meta:
        verbose_name = _("lịch phục vụ của quầy")
        verbose_name_plural = _("lịch phục vụ của quầy")
        ordering = ["counter", "weekday", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["counter", "line", "weekday"], name="counter_service_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="counter_service_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter} · {self.get_weekday_display()} · {self.line.code}"

    def clean(self) -> None:
        super().clean()
        if (
            self.counter_id is not None
            and self.line_id is not None
            and self.counter.centre_id != self.line.centre_id
        ):
            raise ValidationError({"line": _("Dòng số phải thuộc cùng trung tâm với quầy.")})


class CounterSession(models.Model):
    """A receptionist at a counter from opening to closing: one open session per receptionist
    and per counter (partial unique constraints)."""

    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), on_delete=models.PROTECT, related_name="sessions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="counter_sessions",
    )
    opened_at = models.DateTimeField(_("mở lúc"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên làm việc tại quầy")
        verbose_name_plural = _("phiên làm việc tại quầy")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(closed_at__isnull=True),
                name="counter_session_one_open_per_user",
            ),
            models.UniqueConstraint(
                fields=["counter"],
                condition=models.Q(closed_at__isnull=True),
                name="counter_session_one_open_per_counter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter} — {self.user}"


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đã gọi")
    SERVING = "serving", _("Đang phục vụ")
    SKIPPED = "skipped", _("Gọi không thấy, chờ gọi lại")
    DONE = "done", _("Đã xong")
    NO_SHOW = "no_show", _("Không đến")


FINAL_STATES = (TicketState.DONE, TicketState.NO_SHOW)


def new_track_key() -> str:
    return secrets.token_urlsafe(12)


class Ticket(models.Model):
    """A queue number (số thứ tự) taken at a centre's kiosk.

    ``sequence`` runs from 1 each day per centre and line (``core.numbering``); ``number`` is
    what is printed and called ("A012"). ``track_key`` is the random part of the public page
    where the citizen follows their place (the QR on the ticket). The phone, when given, is
    only for the SMS and the reception form; it never goes into events or logs.
    """

    centre = models.ForeignKey(
        "org.Unit", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        ServiceLine, verbose_name=_("dòng số"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("ngày"))
    sequence = models.PositiveIntegerField(_("số thứ tự trong ngày"))
    number = models.CharField(_("số"), max_length=8)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=TicketState.choices, default=TicketState.WAITING
    )
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text=_("Quầy đã gọi hoặc đang phục vụ số này."),
    )
    directed_counter = models.ForeignKey(
        Counter,
        verbose_name=_("chuyển đến quầy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("lấy số lúc"))
    first_called_at = models.DateTimeField(_("gọi lần đầu lúc"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("gọi gần nhất lúc"), null=True, blank=True)
    serving_at = models.DateTimeField(_("bắt đầu phục vụ lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("số lần gọi"), default=0)
    name = models.CharField(_("họ tên"), max_length=120, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ đã tiếp nhận"), max_length=40, blank=True)
    appointment_at = models.DateTimeField(
        _("giờ hẹn"),
        null=True,
        blank=True,
        help_text=_("Số của người đã đặt lịch hẹn: được gọi trước từ đầu khung giờ hẹn."),
    )
    track_key = models.CharField(max_length=24, unique=True, default=new_track_key)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["day", "issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "line", "day", "sequence"], name="ticket_sequence_unique"
            )
        ]
        indexes = [
            models.Index(fields=["centre", "day", "state"], name="ticket_queue_idx"),
            models.Index(fields=["centre", "day", "last_called_at"], name="ticket_board_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def spoken_number(self) -> str:
        """ "A 0 1 2": read letter by letter by the board's speech synthesis."""
        return " ".join(self.number)


class _TransitionEvent(models.Model):
    """What every event row of the queue's lifecycles keeps: its number in the subject's
    history, the move (action, from, to), who made it (None: the system), when, and data
    without personal details."""

    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class TicketEvent(_TransitionEvent):
    """One transition of a ticket (``centre.state.move``): who, when, at which counter."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sự kiện số thứ tự")
        verbose_name_plural = _("sự kiện số thứ tự")
        ordering = ["ticket", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "sequence"], name="ticket_event_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.sequence} {self.action}"


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Đã đặt lịch")
    CHECKED_IN = "checked_in", _("Đã đến, đã nhận số")
    CANCELLED = "cancelled", _("Đã hủy")
    NO_SHOW = "no_show", _("Không đến")


# Booked or come: the states that hold a place in their slot.
HOLDING_STATES = (AppointmentState.BOOKED, AppointmentState.CHECKED_IN)
# The code typed at the kiosk: no 0/O, 1/I/L, so it reads back without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Appointment(models.Model):
    """An online appointment (lịch hẹn) at a centre: a place in one slot of a service line.

    ``code`` is typed (or scanned from the confirmation's QR) at the kiosk to check in, which
    takes a number called first from ``starts_at`` (``Ticket.appointment_at``). ``key`` is the
    random part of the citizen's page (details, QR, cancelling). The phone and e-mail are only
    for the confirmation, the reminder and the reception form; never in events or logs.
    """

    centre = models.ForeignKey(
        "org.Unit", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        ServiceLine,
        verbose_name=_("dòng số"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    day = models.DateField(_("ngày hẹn"))
    starts_at = models.DateTimeField(_("từ"))
    ends_at = models.DateTimeField(_("đến"))
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=AppointmentState.choices,
        default=AppointmentState.BOOKED,
    )
    code = models.CharField(_("mã xác nhận"), max_length=CODE_LENGTH, unique=True)
    key = models.CharField(max_length=24, unique=True, default=new_track_key)
    name = models.CharField(_("họ tên"), max_length=120)
    phone = models.CharField(_("số điện thoại"), max_length=20)
    email = models.EmailField(_("thư điện tử"), blank=True)
    purpose = models.CharField(_("việc cần làm"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản đặt lịch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("số thứ tự"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment",
    )
    booked_at = models.DateTimeField(_("đặt lúc"))
    checked_in_at = models.DateTimeField(_("đến lúc"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("đã nhắc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["line", "starts_at", "state"], name="appointment_slot_idx"),
            models.Index(fields=["state", "starts_at"], name="appointment_due_idx"),
            models.Index(fields=["centre", "day"], name="appointment_day_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class AppointmentEvent(_TransitionEvent):
    """One transition of an appointment (``centre.appointment_state.move``)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("sự kiện lịch hẹn")
        verbose_name_plural = _("sự kiện lịch hẹn")
        ordering = ["appointment", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "sequence"], name="appointment_event_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} #{self.sequence} {self.action}"
