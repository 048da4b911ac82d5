"""Why a national SSO sign-in was refused: a short reason code (audited, never personal data)
and the Vietnamese sentence the citizen reads."""

from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderException
from django.utils.translation import gettext as _


class SsoError(ProviderException):  # type: ignore[misc]
    """A refusal of the sign-in; ``reason`` goes to the audit trail."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


def unreachable() -> SsoError:
    return SsoError(
        "provider_unreachable",
        _("Không kết nối được với hệ thống định danh điện tử; hãy thử lại sau ít phút."),
    )


def refused(reason: str) -> SsoError:
    return SsoError(
        reason, _("Hệ thống định danh điện tử trả về thông tin đăng nhập không hợp lệ.")
    )
