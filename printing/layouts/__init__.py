"""Every card layout the service can print, by name. Add a layout here to print a new card."""

from __future__ import annotations

from ..errors import LayoutError
from ..layout import Layout
from .ktp import KTP_WNA, KTP_WNI

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (KTP_WNI, KTP_WNA)}


def get_layout(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        known = ", ".join(sorted(LAYOUTS))
        raise LayoutError(f"unknown card layout {name!r}; known layouts: {known}",
                          "unknown-layout", layout=name) from None
