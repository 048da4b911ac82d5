"""English words in a Vietnamese page: the check of issue 13 point 1, shared by the tests that
render every page (tests/test_vietnamese_everywhere.py), the error pages and the account
e-mails and messages."""

from __future__ import annotations

import html
import re

# Common words of English user interfaces, matched as whole words, case-insensitively.
ENGLISH_WORDS = (
    "Sign Up",
    "Sign In",
    "Sign Out",
    "Signup",
    "Log in",
    "Log out",
    "Login",
    "Logout",
    "Password",
    "Username",
    "Email",
    "E-mail",
    "Submit",
    "Cancel",
    "Save",
    "Search",
    "Forbidden",
    "Not Found",
    "Server Error",
    "Bad Request",
    "Next",
    "Previous",
    "Back",
    "Continue",
    "Confirm",
    "Required",
    "This field",
    "Already have",
    "optional",
    "Account",
    "Remember",
    "Forgot",
    "Reset",
    "Change",
    "Verify",
    "Verification",
    "Authenticate",
    "Authentication",
    "Activate",
    "Deactivate",
    "Recovery",
    "Download",
    "Upload",
    "Delete",
    "Remove",
    "Edit",
    "Add",
    "Close",
    "Home",
    "Menu",
    "Welcome",
    "Please",
    "Error",
    "Warning",
    "Success",
    "successfully",
    "Invalid",
    "Enter",
    "Select",
    "Choose",
    "You have",
    "Your",
    "Are you sure",
    "Thank you",
    "Loading",
    "Page",
    "Settings",
    "Profile",
    "Connections",
    "Code",
    "Send",
    "Yes",
    "No",
)
# Words that may stand in a Vietnamese page although they look English: proper names and
# technical terms used as such in Vietnamese administration (kept short on purpose).
# None of them is in ENGLISH_WORDS today; the list is applied before matching so that a
# future addition there (e.g. "Code") does not flag "QR code" wrongly.
ALLOWED_TERMS = (
    "PDF",
    "QR",
    "VNeID",
    "API",
    "VNPAY",
    "Zalo",
    "SMS",
    "OTP",
    "TOTP",
    "XML",
    "DOCX",
    "egov",
)
_ENGLISH = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")(?![\w-])",
    re.IGNORECASE,
)
_ALLOWED = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(term) for term in ALLOWED_TERMS) + r")(?![\w-])"
)
_INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_VISIBLE_ATTRIBUTE = re.compile(
    r"""\s(?:placeholder|title|aria-label|alt)\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE
)
# A button's value is its text; other values (options, radios, hidden fields) are not shown.
_BUTTON_VALUE = re.compile(
    r"""<input\b(?=[^>]*type=["']?(?:submit|button|reset)\b)[^>]*\svalue\s*=\s*("[^"]*"|'[^']*')""",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"https?://\S+")  # a link in a plain-text e-mail is no UI word
_TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    """What a reader sees or hears of an HTML page: its text and the attribute values that
    browsers show or read aloud (hidden inputs, scripts, styles and comments left out)."""
    page = _INVISIBLE.sub(" ", _COMMENT.sub(" ", page))

    def keep_attributes(tag: re.Match[str]) -> str:
        shown = [value[1:-1] for value in _VISIBLE_ATTRIBUTE.findall(tag.group(0))]
        shown += [value[1:-1] for value in _BUTTON_VALUE.findall(tag.group(0))]
        return " " + " ".join(shown) + " "

    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(keep_attributes, page)))


def english_words(page: str) -> list[tuple[str, str]]:
    """Each English word found, with the text around it."""
    text = _ADDRESS.sub(lambda url: " " * len(url.group(0)), visible_text(page))
    masked = _ALLOWED.sub(lambda term: " " * len(term.group(0)), text)
    return [
        (match.group(0), text[max(0, match.start() - 50) : match.end() + 50])
        for match in _ENGLISH.finditer(masked)
    ]
