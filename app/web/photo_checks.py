"""The photo checks' doubts and refusals, in the clerk's language, at capture and again (the
doubts) at verification.

`printing` says its doubts in English, each with a stable code and the values in it
(`printing.PhotoWarning`). The pages say them by that code, with those values at capture (the
low resolution's pixel sizes). The background colour is checked again on the stored photo
(the same corners `printing` looks at, a few milliseconds); the low resolution cannot be seen
on the stored photo any more (it is scaled to the card's size), so its code is kept with the
application when the photo is attached (`registry.applications.image_warnings`).

A refused upload (`printing.PhotoError`) is said by its ``code`` and ``params``
(printing/README.md); an error without a known code is shown in `printing`'s English, through
the catalog when it carries no value.
"""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

import printing
from printing.photo import background_colour
from registry.models import Resident, ResidentImage

LOW_RESOLUTION, BACKGROUND = "low-resolution", "background-colour"
ADVICE = {
    LOW_RESOLUTION: _l("The photo has a low resolution: it will look blurred on the card. "
                       "Take it again closer, or with a better camera."),
    BACKGROUND: _l("The photo background does not follow the rule: red for an odd birth year, "
                   "blue for an even one, orange for a WNA."),
}
COLOURS = {
    "red": _l("red"), "orange": _l("orange"), "yellow": _l("yellow"), "green": _l("green"),
    "blue": _l("blue"), "purple": _l("purple"), "white": _l("white"), "grey": _l("grey"),
    "black": _l("black"),
}


WHAT = {"photo": _l("The photo"), "signature": _l("The signature")}
FIXED = (  # printing's messages without a value, for an error that comes without its code
    _l("signature: no ink found; sign with a dark pen on white paper"),
    _l("photo is not an image file; send a JPEG or PNG"),
    _l("signature is not an image file; send a JPEG or PNG"),
)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{max(1, round(n / 1e3))} kB"


def _what(kind: Any) -> str:
    found = WHAT.get(kind)
    return str(found) if found is not None else _("The image")


def too_large(kind: str, size: int, limit: int) -> str:
    return _("%(what)s is %(size)s; the limit is %(limit)s. Choose a smaller file.",
             what=_what(kind), size=_size(size), limit=_size(limit))


def refusal(exc: Exception) -> str:
    """Why an upload cannot be used, by the error's code."""
    code, p = getattr(exc, "code", None), getattr(exc, "params", None) or {}
    what = _what(p.get("what"))
    try:
        if code == "too-large":
            return too_large(p.get("what"), p["size"], p["limit"])
        if code == "not-an-image":
            return _("%(what)s is not an image file: send a JPEG or PNG.", what=what)
        if code == "wrong-format":
            return _("%(what)s is a %(format)s file: only JPEG and PNG are accepted.",
                     what=what, format=p["format"])
        if code == "damaged":
            return _("%(what)s is truncated or damaged: upload it again.", what=what)
        if code == "too-many-pixels":
            return _("%(what)s has more than %(n)s megapixels: send a normal camera photo.",
                     what=what, n=p["max_megapixels"])
        if code == "too-small":
            return _("%(what)s is too small: %(width)d x %(height)d pixels, a card photo needs at "
                     "least %(min_width)d x %(min_height)d. Take it again closer, or with a "
                     "better camera.", what=what, width=p["width"], height=p["height"],
                     min_width=p["min_width"], min_height=p["min_height"])
        if code == "crop-outside":
            return _("The crop frame is not inside the photo: choose the photo again.")
        if code == "no-ink":
            return _("No ink found in the signature: sign with a dark pen on white paper.")
    except KeyError:
        pass  # a code whose values changed: the English below still says it
    return _("The image cannot be used: %(why)s", why=gettext(str(exc)))


def _colour(name: str) -> str:
    return str(COLOURS.get(name, name))


def background_doubt(photo: bytes, resident: Resident) -> str | None:
    """The background check on a stored photo: what it looks like against the rule."""
    layout = printing.layout_for(resident.kewarganegaraan)
    wanted = printing.expected_background(layout, resident.tanggal_lahir)
    if wanted is None:
        return None
    try:
        with Image.open(io.BytesIO(photo)) as image:
            seen = background_colour(image.convert("RGB"))
    except (OSError, UnidentifiedImageError):
        return None
    if seen == wanted:
        return None
    return _("The photo background looks %(seen)s, but the rule asks for %(wanted)s.",
             seen=_colour(seen), wanted=_colour(wanted))


def _advice(code: str, message: str | None = None) -> str:
    """A doubt by its code; a code this page does not know yet keeps `printing`'s words."""
    advice = ADVICE.get(code)
    return str(advice) if advice is not None else (message or code)


def _background(doubt: str | None) -> str:
    return f"{doubt} {ADVICE[BACKGROUND]}" if doubt else str(ADVICE[BACKGROUND])


def _low_resolution(params: dict[str, Any]) -> str:
    """The low resolution with its pixel sizes, when the warning came with them."""
    try:
        return _("The photo has a low resolution: only %(width)d x %(height)d pixels after "
                 "cropping; the card prints it at %(print_width)d x %(print_height)d, so it will "
                 "look blurred. Take it again closer, or with a better camera.",
                 width=params["width"], height=params["height"],
                 print_width=params["print_width"], print_height=params["print_height"])
    except (KeyError, TypeError):
        return str(ADVICE[LOW_RESOLUTION])


def _doubt(warning: dict[str, Any]) -> str:
    if warning["code"] == LOW_RESOLUTION:
        return _low_resolution(warning.get("params") or {})
    return _advice(warning["code"], warning.get("message"))


def at_capture(warnings: list[dict[str, Any]], photo: bytes, resident: Resident) -> list[str]:
    """What the clerk reads after saving a photo (``warnings``: `app.photos.Stored`'s, whose
    ``params`` give the low resolution's pixel sizes)."""
    lines = [_doubt(w) for w in warnings if w["code"] != BACKGROUND]
    if any(w["code"] == BACKGROUND for w in warnings):
        lines.append(_background(background_doubt(photo, resident)))
    return lines


def for_verification(codes: list[str], photo: ResidentImage | None,
                     resident: Resident) -> list[str]:
    """What the supervisor reads on the application: the doubts recorded when the photo was
    attached, and the background checked again on the stored photo."""
    if photo is None:
        return []
    lines = [_advice(code) for code in codes if code != BACKGROUND]
    if doubt := background_doubt(photo.data, resident):
        lines.append(_background(doubt))
    return lines
