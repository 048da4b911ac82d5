"""Administration is scoped (issue 9, point 6): a ward's administrator manages the accounts
and roles of its ward only, nobody changes their own roles, province-wide data is for
provincial administrators, and the outbox never shows a full recipient or a code."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from egov.accounts.admin import RoleAssignmentAdmin, UserAdmin
from egov.accounts.admin_scope import ProvincialOnlyAdmin
from egov.accounts.models import CitizenProfile, Role, RoleAssignment, User
from egov.accounts.scope import administered_units, is_provincial_admin, managed_users
from egov.accounts.services import role_assign, role_delete, role_end, role_update
from egov.audit.models import AuditEntry
from egov.notifications.services import Recipient, notification_enqueue
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

WARD_UBND, WARD_DESK = "qn.x.hong-gai.ubnd", "qn.x.hong-gai.ttpvhcc"
# Admin pages of apps above accounts, scoped to the administrator's subtree there (their own
# tests show it): a centre's counters and service lines (egov.centre.admin).
SCOPED_ABOVE = {"centre.Counter", "centre.ServiceLine"}


def user(name):
    return User.objects.get(username=name)


def unit(key):
    return Unit.objects.get(key=key)


@pytest.fixture
def admin_client(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False

    def login(username):
        client.force_login(user(username))
        return client

    return login


def test_demo_administrators_are_not_superusers_and_have_their_scope(quang_ninh):
    ward, province = user("honggai.quantri"), user("tinh.quantri")
    assert not ward.is_superuser and not province.is_superuser
    assert ward.is_staff and province.is_staff
    assert is_provincial_admin(province) and not is_provincial_admin(ward)
    assert administered_units(province) is None
    assert administered_units(ward) == {unit(WARD_UBND).pk, unit(WARD_DESK).pk}
    names = set(managed_users(ward).values_list("username", flat=True))
    assert names == {a for a in names if a.startswith("honggai.")}
    assert {"honggai.tiepnhan", "honggai.chuyenvien", "honggai.quantri"} <= names
    assert "tinh.quantri" not in names and "tinh.tiepnhan" not in names


def test_unit_administrator_assigns_roles_inside_its_ward_only(quang_ninh):
    ward_admin = user("honggai.quantri")
    assignment = role_assign(
        actor=ward_admin, user=user("honggai.chuyenvien"), unit=unit(WARD_UBND), role=Role.CLERK
    )
    assert AuditEntry.objects.filter(
        action="accounts.role_assigned", actor_label="honggai.quantri"
    ).exists()
    with pytest.raises(ValidationError, match="nằm ngoài phạm vi bạn quản trị"):
        role_assign(
            actor=ward_admin,
            user=user("honggai.chuyenvien"),
            unit=unit("qn.so-tu-phap"),
            role=Role.SPECIALIST,
        )
    with pytest.raises(ValidationError, match="nằm ngoài phạm vi bạn quản trị"):
        role_update(actor=ward_admin, assignment=assignment, changes={"unit": unit("qn.ttpvhcc")})
    # Nobody outside the ward is pulled in, and nothing of the province is touched.
    with pytest.raises(ValidationError, match="có vai trò ở đơn vị ngoài phạm vi"):
        role_assign(
            actor=ward_admin, user=user("tinh.chuyenvien"), unit=unit(WARD_UBND), role=Role.CLERK
        )
    provincial = RoleAssignment.objects.get(user__username="tinh.tiepnhan")
    with pytest.raises(ValidationError, match="nằm ngoài phạm vi bạn quản trị"):
        role_end(actor=ward_admin, assignment=provincial, on=provincial.valid_from.replace(2030))
    with pytest.raises(ValidationError, match="nằm ngoài phạm vi bạn quản trị"):
        role_delete(actor=ward_admin, assignment=provincial)
    role_delete(actor=ward_admin, assignment=assignment)


@pytest.mark.parametrize("username", ["honggai.quantri", "tinh.quantri"])
def test_nobody_grants_or_changes_their_own_role(quang_ninh, username):
    actor = user(username)
    own = RoleAssignment.objects.filter(user=actor).first()
    message = "Không ai được tự cấp hoặc thay đổi vai trò của chính mình."
    with pytest.raises(ValidationError, match=message):
        role_assign(actor=actor, user=actor, unit=own.unit, role=Role.RECEPTIONIST)
    with pytest.raises(ValidationError, match=message):
        role_update(actor=actor, assignment=own, changes={"role": Role.CENTRE_LEADER})
    with pytest.raises(ValidationError, match=message):
        role_delete(actor=actor, assignment=own)


def test_provincial_administrator_manages_the_whole_province(quang_ninh):
    assignment = role_assign(
        actor=user("tinh.quantri"),
        user=user("honggai.chuyenvien"),
        unit=unit("qn.so-tu-phap"),
        role=Role.SPECIALIST,
    )
    assert assignment.pk
    # Staff without an administrator role administer nothing.
    with pytest.raises(ValidationError, match="không có quyền quản trị"):
        role_assign(
            actor=user("honggai.lanhdao"),
            user=user("honggai.chuyenvien"),
            unit=unit(WARD_UBND),
            role=Role.CLERK,
        )


def test_ward_admin_sees_only_account_pages_and_its_ward(admin_client):
    client = admin_client("honggai.quantri")
    index = client.get("/admin/")
    assert index.status_code == 200
    apps = {app["app_label"] for app in index.context["app_list"]}
    # The queue's counters and lines of the ward's centre (egov.centre.admin, scoped).
    assert apps == {"accounts", "centre"}
    models = {m["object_name"] for m in index.context["app_list"][0]["models"]}
    assert models == {"User", "RoleAssignment"}
    for path in (
        "/admin/notifications/message/",
        "/admin/audit/auditentry/",
        "/admin/accounts/apiclient/",
        "/admin/org/unit/",
        "/admin/catalog/procedureversion/",
        "/admin/workdays/calendardecision/",
        "/admin/datastore/storedocument/",
        "/admin/auth/group/",
    ):
        assert client.get(path).status_code == 403, path
    users = client.get("/admin/accounts/user/").context["cl"].result_list
    assert {u.username for u in users} == set(
        managed_users(user("honggai.quantri")).values_list("username", flat=True)
    )
    assert "tinh.quantri" not in {u.username for u in users}
    outsider = client.get(f"/admin/accounts/user/{user('tinh.quantri').pk}/change/")
    assert outsider.status_code == 302 and outsider["Location"] == "/admin/"
    roles = client.get("/admin/accounts/roleassignment/").context["cl"].result_list
    assert {r.unit.key for r in roles} == {WARD_UBND, WARD_DESK}


def test_ward_admin_forms_offer_its_units_and_refuse_itself(admin_client):
    client = admin_client("honggai.quantri")
    form = client.get("/admin/accounts/roleassignment/add/").context["adminform"].form
    assert {u.key for u in form.fields["unit"].queryset} == {WARD_UBND, WARD_DESK}
    offered = set(form.fields["user"].queryset.values_list("username", flat=True))
    assert "honggai.tiepnhan" in offered and "honggai.quantri" in offered
    assert "tinh.tiepnhan" not in offered
    data = {
        "user": user("honggai.chuyenvien").pk,
        "unit": unit("qn.so-tu-phap").pk,
        "role": Role.SPECIALIST,
        "valid_from": "2026-01-01",
        "valid_until": "9999-12-31",
    }
    refused = client.post("/admin/accounts/roleassignment/add/", data)
    assert refused.status_code == 200
    assert not RoleAssignment.objects.filter(
        unit__key="qn.so-tu-phap", user__username="honggai.chuyenvien"
    ).exists()
    own = RoleAssignment.objects.filter(user__username="honggai.quantri").first()
    page = client.get(f"/admin/accounts/roleassignment/{own.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]
    changed = client.post(
        f"/admin/accounts/roleassignment/{own.pk}/change/",
        {**data, "user": own.user_id, "unit": own.unit_id, "role": Role.CENTRE_LEADER},
    )
    assert changed.status_code == 403
    own.refresh_from_db()
    assert own.role == Role.SYSTEM_ADMIN


@pytest.mark.parametrize("username", ["honggai.quantri", "tinh.quantri"])
def test_service_refusal_is_shown_in_the_admin_form(admin_client, username):
    client = admin_client(username)
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {
            "user": user(username).pk,
            "unit": unit(WARD_UBND).pk,
            "role": Role.SPECIALIST,
            "valid_from": "2026-01-01",
            "valid_until": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert "Không ai được tự cấp hoặc thay đổi vai trò của chính mình." in response.content.decode()
    assert not RoleAssignment.objects.filter(user__username=username, role=Role.SPECIALIST).exists()


def test_ward_admin_cannot_make_anyone_superuser(admin_client):
    client = admin_client("honggai.quantri")
    target = user("honggai.chuyenvien")
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "groups" not in form.fields
    assert "user_permissions" not in form.fields
    client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "username": target.username,
            "full_name": target.full_name,
            "email": target.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    target.refresh_from_db()
    assert not target.is_superuser


def test_outbox_admin_is_provincial_and_masks_recipients_and_codes(admin_client):
    notification_enqueue(
        event="received",
        reference="000.00.00.H49-260101-0001",
        recipient=Recipient(phone="+84912345678"),
        context={"code": "000.00.00.H49-260101-0001"},
        unit=unit("qn.ttpvhcc"),
    )
    client = admin_client("tinh.quantri")
    listing = client.get("/admin/notifications/message/").content.decode()
    assert "+84912***678" in listing and "+84912345678" not in listing
    from egov.notifications.models import Message

    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(event="phone_code", body="Ma xac minh: 123456")
    detail = client.get(f"/admin/notifications/message/{message.pk}/change/").content.decode()
    assert "+84912345678" not in detail and "123456" not in detail
    assert "+84912***678" in detail


def test_every_admin_page_declares_who_sees_it(quang_ninh):
    """Adding a model to /admin/ without deciding who sees it fails here."""
    from django.contrib.auth.models import Group

    from egov.accounts.services import PROVINCIAL_ADMIN_GROUP, UNIT_ADMIN_GROUP

    scoped = {UserAdmin, RoleAssignmentAdmin}  # scoped to the administrator's subtree
    granted = set(
        Group.objects.filter(name__in=[UNIT_ADMIN_GROUP, PROVINCIAL_ADMIN_GROUP]).values_list(
            "permissions__content_type__app_label", flat=True
        )
    )
    assert granted == {
        "accounts",
        "audit",
        "catalog",
        "centre",
        "datastore",
        "notifications",
        "org",
        "workdays",
    }
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in granted:
            # No administrator group holds a permission on it (allauth's e-mail addresses,
            # social accounts and authenticators, Django's groups): superusers only.
            continue
        assert (
            type(model_admin) in scoped
            or model._meta.label in SCOPED_ABOVE
            or isinstance(model_admin, ProvincialOnlyAdmin)
        ), model._meta.label
    registered = {model._meta.label for model in admin.site._registry}
    # Personal data with no admin page at all: citizens' profiles, payments, dossiers.
    assert CitizenProfile._meta.label not in registered
    assert not {label for label in registered if label.split(".")[0] in {"payments", "dossiers"}}


def test_provincial_admin_sees_every_province_wide_page(admin_client):
    client = admin_client("tinh.quantri")
    index = client.get("/admin/")
    apps = {app["app_label"] for app in index.context["app_list"]}
    assert apps == {
        "accounts",
        "audit",
        "catalog",
        "centre",
        "datastore",
        "notifications",
        "org",
        "workdays",
    }
    for path in (
        "/admin/notifications/message/",
        "/admin/audit/auditentry/",
        "/admin/accounts/apiclient/",
        "/admin/org/unit/",
        "/admin/catalog/procedureversion/",
        "/admin/workdays/calendardecision/",
        "/admin/datastore/storedocument/",
    ):
        assert client.get(path).status_code == 200, path
    users = client.get("/admin/accounts/user/?all=").context["cl"]
    assert users.full_result_count == User.objects.count()
    assert client.get("/admin/auth/group/").status_code == 403  # groups: superusers only


def test_ward_admin_creates_an_account_then_gives_it_a_ward_role(admin_client):
    client = admin_client("honggai.quantri")
    created = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "honggai.moi",
            "password1": "Mat-khau-dai-2026!",
            "password2": "Mat-khau-dai-2026!",
            "usable_password": "true",
        },
    )
    new = User.objects.get(username="honggai.moi")
    assert created.status_code == 302
    assert client.get(created["Location"]).status_code == 200
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {
            "user": new.pk,
            "unit": unit(WARD_DESK).pk,
            "role": Role.RECEPTIONIST,
            "valid_from": "2026-01-01",
            "valid_until": "9999-12-31",
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=new, unit__key=WARD_DESK).exists()
    # A citizen's account is not an "account without a role" the ward may take over.
    citizen = User.objects.create_user("congdan.binh")
    CitizenProfile.objects.create(user=citizen)
    assert not managed_users(user("honggai.quantri")).filter(pk=citizen.pk).exists()
    assert client.get(f"/admin/accounts/user/{citizen.pk}/change/").status_code == 302
