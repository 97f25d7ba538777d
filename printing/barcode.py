"""The NIK as Code128 vector bars, from python-barcode's encoding.

python-barcode chooses the code sets (all digits: set C, 2 digits per symbol) and the check
symbol; we only turn its module string into rectangles. Bars are drawn as vector fills, not a
pasted bitmap, and sit on whole printer pixels, so the K panel gets crisp bars of exactly
`module_px` pixels per module and a reader decodes them from the 300-dpi raster.
"""

from __future__ import annotations

from barcode.codex import Code128
from barcode.writer import SVGWriter

from .errors import LayoutError
from .layout import PX_MM, Barcode, Box

# Encoding needs no writer, but each Code128 object otherwise makes its own SVGWriter, whose
# callbacks refer back to it: a reference cycle per card that only the cyclic GC frees, which
# made a long batch's memory creep. One shared, unused writer avoids that.
_UNUSED_WRITER = SVGWriter()


def code128_modules(value: str) -> str:
    """The module pattern of `value` ("1" = bar, "0" = space), start to stop symbol."""
    return Code128(value, writer=_UNUSED_WRITER).build()[0]


def bar_runs(modules: str) -> list[tuple[int, int]]:
    """(first module, width in modules) of every bar."""
    runs = []
    start = None
    for i, bit in enumerate(modules + "0"):
        if bit == "1" and start is None:
            start = i
        elif bit == "0" and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def place_bars(spec: Barcode, value: str) -> tuple[Box, ...]:
    """The bars of `value` inside `spec.box`, centred, left edge on the printer's pixel grid."""
    modules = code128_modules(value)
    module_mm = spec.module_px * PX_MM
    needed = (len(modules) + 2 * spec.quiet_modules) * module_mm
    if needed > spec.box.w + 1e-9:
        raise LayoutError(
            f"barcode box is {spec.box.w:.2f} mm wide; {value!r} needs {needed:.2f} mm"
        )
    left = spec.box.x + (spec.box.w - len(modules) * module_mm) / 2
    left = round(left / PX_MM) * PX_MM
    margin = min(0.3, spec.box.h / 10)
    top, height = spec.box.y + margin, spec.box.h - 2 * margin
    return tuple(
        Box(left + start * module_mm, top, width * module_mm, height)
        for start, width in bar_runs(modules)
    )
