"""The README's evaluation screenshots can be made again, in Bahasa Indonesia throughout."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.e2e.live import LiveServer
from tests.e2e.screenshots import (
    EVALUATION_PAGES,
    EVALUATION_PREFIX,
    SIZE,
    TABLET,
    build_registry,
    shoot,
    shoot_evaluation,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_screenshots_of_the_evaluation_are_made(browser, tmp_path):
    server = LiveServer.start(build_registry(tmp_path, count=120), tmp_path / "instance",
                              blanks=0)
    try:
        shoot(server, browser, tmp_path / "counter")
        saved = shoot_evaluation(server, browser, tmp_path / "shots")
    finally:
        server.stop()
    assert [path.stem for path in saved] == [EVALUATION_PREFIX + name for name in EVALUATION_PAGES]
    widths = {"dashboard": SIZE["width"], "kiosk": TABLET["width"], "report": 827}
    for path in saved:
        with Image.open(path) as image:
            assert image.width == widths[path.stem.removeprefix(EVALUATION_PREFIX)], path.name
            assert image.height >= 700, path.name
