"""Errors of edXML packages: each carries a translated Vietnamese message (shown to the clerk
and sent back as the reason of a "từ chối" status) and a stable ``code`` for programs.

Every problem with a received package raises a subclass of :class:`PackageError`; nothing
else escapes ``parse_document_package`` / ``parse_status_package`` for bad input.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class PackageError(Exception):
    """A package that cannot be built or accepted."""

    code = "package_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedPackage(PackageError):
    """Not well-formed XML, not an edXML package, too large, or with a DOCTYPE."""

    code = "malformed"


class MissingElement(PackageError):
    """A required element is absent or empty; ``path`` names it (``MessageHeader/Subject``)."""

    code = "missing_element"

    def __init__(self, path: str) -> None:
        super().__init__(_("Gói tin thiếu thành phần bắt buộc: %(path)s.") % {"path": path})
        self.path = path


class InvalidValue(PackageError):
    """An element whose text is not of its type (a date, a number, a code of a code list)."""

    code = "invalid_value"

    def __init__(self, path: str, value: str) -> None:
        super().__init__(
            _("Giá trị không hợp lệ ở %(path)s: “%(value)s”.") % {"path": path, "value": value[:80]}
        )
        self.path = path
        self.value = value


class BadAttachmentEncoding(PackageError):
    """An attachment whose ContentTransferEncoded is not base64."""

    code = "bad_base64"

    def __init__(self, content_id: str) -> None:
        super().__init__(
            _("Tệp đính kèm %(cid)s không được mã hóa base64 hợp lệ.") % {"cid": content_id}
        )
        self.content_id = content_id


class SignatureInvalid(PackageError):
    """No XML signature where it belongs, or a signature that does not match the content
    (the package was changed after signing)."""

    code = "signature_invalid"


class UntrustedCertificate(PackageError):
    """The signature is intact but its certificate does not chain to a configured trust root
    (or is expired, not yet valid, or not allowed to sign)."""

    code = "untrusted_certificate"


class NotExchangeable(PackageError):
    """An outgoing document that cannot be sent through the axis (not issued, secret — QĐ
    28/2018/QĐ-TTg excludes secret documents — or its agency has no unit code)."""

    code = "not_exchangeable"
