"""Demo staff accounts: every role at the provincial service centre and at one commune-level
service centre (Trung tâm PVHCC phường Hồng Gai). For `make run` only — never load into
production.

No demo account is a superuser: the provincial administrator (system_admin at UBND tỉnh, the
root unit) manages the whole province, the ward's administrator its ward UBND and service
centre only; both get into /admin/ through the administrators' permission groups."""

from __future__ import annotations

from dataclasses import dataclass

from egov.accounts.models import Role

DEMO_PASSWORD = "DemoEgov@2026"  # noqa: S105 — printed by `make run`; demo database only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    unit_key: str
    # Further units where the account holds the same role (the ward's administrator also
    # administers the ward's reception point, which belongs to the provincial centre).
    also_at: tuple[str, ...] = ()


DEMO_ACCOUNTS = [
    DemoAccount("tinh.tiepnhan", "Trần Thị Bình", Role.RECEPTIONIST, "qn.ttpvhcc"),
    DemoAccount("tinh.chuyenvien", "Lê Minh Chi", Role.SPECIALIST, "qn.so-tu-phap"),
    DemoAccount("tinh.chuyenvien2", "Đinh Thị Xuân", Role.SPECIALIST, "qn.so-tu-phap"),
    DemoAccount("tinh.lanhdaophong", "Phạm Văn Dũng", Role.DEPARTMENT_LEADER, "qn.so-tu-phap"),
    DemoAccount("tinh.vanthu", "Hoàng Thị Giang", Role.CLERK, "qn.vp-ubnd"),
    DemoAccount("tinh.lanhdaotrungtam", "Vũ Quốc Hưng", Role.CENTRE_LEADER, "qn.ttpvhcc"),
    DemoAccount("tinh.giamsat", "Đặng Thu Hà", Role.SUPERVISOR, "qn.ttpvhcc"),
    DemoAccount("tinh.quantri", "Ngô Đức Khánh", Role.SYSTEM_ADMIN, "qn.ubnd"),
    DemoAccount("tinh.buudien", "Cao Văn Tâm", Role.POSTAL, "qn.ttpvhcc"),
    # The support centre's hotline (issue 17 §7): answers calls from the knowledge base.
    DemoAccount("tinh.tongdaivien", "Hồ Thị Thanh Trà", Role.HOTLINE_OPERATOR, "qn.ttpvhcc"),
    # Official documents (văn bản đi/đến, egov.demo.documents): the provincial committee's
    # leader who signs (his name is the one on the development PKI's personal certificate),
    # the head of its office and an office specialist who drafts; the department's văn thư.
    # The signer needs no role to sign (he is named on the document); his role is at the
    # office so that he reaches the workspace: a role at UBND tỉnh itself would open every
    # unit's dossiers below it (tests/test_authorization_matrix.py).
    DemoAccount("tinh.lanhdaoubnd", "Nguyễn Văn Dũng", Role.DEPARTMENT_LEADER, "qn.vp-ubnd"),
    DemoAccount("tinh.chanhvanphong", "Lưu Thị Hằng", Role.DEPARTMENT_LEADER, "qn.vp-ubnd"),
    DemoAccount("tinh.chuyenvienvp", "Tạ Minh Đức", Role.SPECIALIST, "qn.vp-ubnd"),
    DemoAccount("tinh.vanthuso", "Kiều Thị Mai", Role.CLERK, "qn.so-tu-phap"),
    # Công an tỉnh issues Phiếu lý lịch tư pháp from 01/07/2026 (Luật 107/2025/QH15,
    # NĐ 216/2026/NĐ-CP): the dossiers the centre receives today are handled there.
    DemoAccount("congan.chuyenvien", "Lương Văn Thắng", Role.SPECIALIST, "qn.cong-an-tinh"),
    DemoAccount("congan.lanhdao", "Triệu Thị Vân", Role.DEPARTMENT_LEADER, "qn.cong-an-tinh"),
    DemoAccount("honggai.tiepnhan", "Bùi Thị Lan", Role.RECEPTIONIST, "qn.x.hong-gai.ttpvhcc"),
    DemoAccount("honggai.chuyenvien", "Đỗ Văn Minh", Role.SPECIALIST, "qn.x.hong-gai.ubnd"),
    DemoAccount("honggai.lanhdao", "Nguyễn Văn Nam", Role.DEPARTMENT_LEADER, "qn.x.hong-gai.ubnd"),
    DemoAccount("honggai.vanthu", "Trịnh Thị Oanh", Role.CLERK, "qn.x.hong-gai.ubnd"),
    DemoAccount(
        "honggai.lanhdaotrungtam", "Phan Văn Phúc", Role.CENTRE_LEADER, "qn.x.hong-gai.ttpvhcc"
    ),
    DemoAccount("honggai.giamsat", "Lý Thị Quỳnh", Role.SUPERVISOR, "qn.x.hong-gai.ttpvhcc"),
    DemoAccount(
        "honggai.quantri",
        "Mai Văn Sơn",
        Role.SYSTEM_ADMIN,
        "qn.x.hong-gai.ubnd",
        also_at=("qn.x.hong-gai.ttpvhcc",),
    ),
    DemoAccount("honggai.buudien", "Hà Thị Uyên", Role.POSTAL, "qn.x.hong-gai.ttpvhcc"),
    DemoAccount(
        "honggai.tongdaivien", "Chu Thị Vân Anh", Role.HOTLINE_OPERATOR, "qn.x.hong-gai.ttpvhcc"
    ),
]
