"""Card rendering: plain card data to an exact ID-1 PDF, previews and printer panels.

Knows nothing of the database, Flask or printer drivers (import-linter): `app/` builds a
`CardData` from a resident and calls the functions below.
"""

from .batch import BatchWriter, write_batch_pdf
from .card import DEFAULT_LAYOUT, CardData
from .errors import (
    FieldDoesNotFitError,
    InvalidCardDataError,
    LayoutError,
    PhotoError,
    PrintingError,
    UnsupportedCharacterError,
)
from .layout import Layout
from .layouts import LAYOUTS, get_layout
from .panels import Panels, iter_panels, panels_from_pdf, render_panels
from .pdf import render_pdf
from .photo import (
    PhotoWarning,
    PreparedPhoto,
    expected_background,
    layout_for,
    minimum_pixels,
    prepare_photo,
)
from .plan import check_fit, plan_card
from .raster import png_from_pdf, render_png
from .signature import prepare_signature
from .upload import DEFAULT_MAX_BYTES, format_bytes

__all__ = [
    "DEFAULT_LAYOUT",
    "DEFAULT_MAX_BYTES",
    "LAYOUTS",
    "BatchWriter",
    "CardData",
    "FieldDoesNotFitError",
    "InvalidCardDataError",
    "Layout",
    "LayoutError",
    "Panels",
    "PhotoError",
    "PhotoWarning",
    "PreparedPhoto",
    "PrintingError",
    "UnsupportedCharacterError",
    "check_fit",
    "expected_background",
    "format_bytes",
    "get_layout",
    "iter_panels",
    "layout_for",
    "minimum_pixels",
    "panels_from_pdf",
    "plan_card",
    "png_from_pdf",
    "prepare_photo",
    "prepare_signature",
    "render_panels",
    "render_pdf",
    "render_png",
    "write_batch_pdf",
]
