"""The README's screenshots can be made again: every page renders with the demo data."""

from __future__ import annotations

import pytest
from PIL import Image

from .live import LiveServer
from .screenshots import PAGES, PREFIX, SIZE, build_registry, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_screenshots_of_the_main_pages_are_made(browser, tmp_path):
    server = LiveServer.start(build_registry(tmp_path, count=120), tmp_path / "instance",
                              blanks=0)
    try:
        saved = shoot(server, browser, tmp_path / "shots")
    finally:
        server.stop()
    assert [path.stem for path in saved] == [PREFIX + name for name in PAGES]
    for path in saved:
        with Image.open(path) as image:
            assert image.width == SIZE["width"] and image.height >= SIZE["height"], path.name
