"""One-time survey codes: short enough to type on a tablet, impossible to guess in practice.

Eight Crockford base-32 characters (40 bits) shown as ``ABCD-EFGH``. Typing is forgiving: case,
spaces and dashes are ignored and the look-alikes O, I and L read as 0, 1 and 1. Only a keyed
hash of a code is stored, so a copy of the database hands out no usable codes and, unlike a
plain hash of so short a code, cannot be reversed by trying all codes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from .errors import RegistryError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class SurveyCodeError(RegistryError):
    """A code that cannot be used. ``reason`` names the case for people-facing messages."""

    reason = "invalid"


class MalformedCodeError(SurveyCodeError):
    reason = "malformed"

    def __init__(self) -> None:
        super().__init__(f"a survey code has {LENGTH} letters and digits, like ABCD-1234")


class UnknownCodeError(SurveyCodeError):
    reason = "unknown"

    def __init__(self) -> None:
        super().__init__("this survey code is not known: check it, or ask the counter")


class UsedCodeError(SurveyCodeError):
    reason = "used"

    def __init__(self) -> None:
        super().__init__("this survey code has been used already: each handover answers once")


class ExpiredCodeError(SurveyCodeError):
    reason = "expired"

    def __init__(self) -> None:
        super().__init__("this survey code has expired")


class OtherOfficeCodeError(SurveyCodeError):
    reason = "other-office"

    def __init__(self, office_code: str) -> None:
        super().__init__(f"this survey code belongs to office {office_code}")
        self.office_code = office_code


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """The canonical code typed as ``text``; `MalformedCodeError` if it cannot be one."""
    code = "".join(text.split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        raise MalformedCodeError()
    return code


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def digest(code: str, key: bytes) -> str:
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()
