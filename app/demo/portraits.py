"""Synthetic, obviously-not-a-person photos and signatures for demo residents.

Drawn with Pillow from a seed, so every demo resident keeps the same face across runs. The
background follows the KTP rule (red for odd birth years, blue for even, orange for WNA), so
the photo checks and the printed card look as they would with real photos.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

RED, BLUE, ORANGE = (200, 30, 40), (20, 70, 170), (235, 130, 30)
SKIN = ((224, 172, 105), (198, 134, 66), (141, 85, 36), (236, 188, 140), (170, 110, 60))
HAIR = ((20, 15, 10), (40, 30, 20), (60, 50, 40), (120, 120, 120))
CLOTHES = ((30, 30, 30), (240, 240, 240), (40, 60, 120), (120, 30, 40), (30, 90, 60))
PHOTO_SIZE = (300, 400)  # 3:4 at ~350 dpi for the card's photo box


def background(birth_year: int, wna: bool = False) -> tuple[int, int, int]:
    if wna:
        return ORANGE
    return RED if birth_year % 2 else BLUE


def portrait(seed: str, birth_year: int, female: bool, wna: bool = False) -> bytes:
    """A JPEG head-and-shoulders drawing on the rule's background colour."""
    rng = random.Random(seed)
    w, h = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, background(birth_year, wna))
    draw = ImageDraw.Draw(image)
    skin, hair, cloth = rng.choice(SKIN), rng.choice(HAIR), rng.choice(CLOTHES)
    draw.ellipse((w * 0.12, h * 0.68, w * 0.88, h * 1.25), fill=cloth)  # shoulders
    draw.rectangle((w * 0.42, h * 0.55, w * 0.58, h * 0.72), fill=skin)  # neck
    face = (w * 0.28, h * 0.18, w * 0.72, h * 0.62)
    if female and rng.random() < 0.7:  # a jilbab frames the face
        draw.ellipse((w * 0.18, h * 0.10, w * 0.82, h * 0.80), fill=rng.choice(CLOTHES[1:]))
    else:
        draw.ellipse((w * 0.26, h * 0.12, w * 0.74, h * 0.45), fill=hair)
    draw.ellipse(face, fill=skin)
    eye_y = h * 0.38
    for x in (w * 0.41, w * 0.59):
        draw.ellipse((x - 7, eye_y - 4, x + 7, eye_y + 4), fill=(250, 250, 250))
        draw.ellipse((x - 3, eye_y - 3, x + 3, eye_y + 3), fill=(30, 20, 10))
    draw.arc((w * 0.42, h * 0.46, w * 0.58, h * 0.54), 20, 160, fill=(120, 50, 50), width=3)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def signature(seed: str, name: str) -> bytes:
    """A PNG scribble, black on white, looking roughly like a handwritten signature."""
    rng = random.Random(seed + "/signature")
    w, h = 360, 120
    image = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(image)
    x, y = 20.0, h * 0.6
    points = [(x, y)]
    strokes = 10 + len(name.split()[0]) * 2
    for i in range(strokes):
        x += (w - 60) / strokes
        y = h * 0.55 + rng.uniform(-35, 30) * (1 if i % 2 else -0.6)
        points.append((x, y))
    draw.line(points, fill=0, width=4, joint="curve")
    draw.line((points[1][0], h * 0.8, points[-1][0] + 10, h * 0.7), fill=0, width=3)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
