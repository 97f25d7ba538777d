"""Signature uploads become black ink on transparency at the signature box's size."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from printing import PhotoError, get_layout, prepare_signature

from .samples import handwriting


def test_signature_is_black_ink_on_transparency_at_box_size():
    image = Image.open(io.BytesIO(prepare_signature(handwriting())))
    assert image.format == "PNG" and image.mode == "LA"
    assert image.size == get_layout("ktp-wni").signature.pixels()
    grey, alpha = (np.array(band) for band in image.split())
    assert (grey == 0).all()
    assert alpha.max() == 255 and (alpha == 0).mean() > 0.5


def test_signature_is_cut_to_the_ink():
    small = handwriting(size=(2000, 1500))
    image = Image.open(io.BytesIO(prepare_signature(small)))
    alpha = np.array(image.split()[1]) > 0
    rows = alpha.any(axis=1)
    assert rows.mean() > 0.8  # uncut, the ink would span about half the height


def test_same_upload_gives_the_same_bytes():
    assert prepare_signature(handwriting()) == prepare_signature(handwriting())


def test_blank_paper_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (600, 200), (240, 240, 235)).save(out, "PNG")
    with pytest.raises(PhotoError, match="no ink"):
        prepare_signature(out.getvalue())


def test_gif_signature_is_refused():
    out = io.BytesIO()
    Image.new("L", (60, 20), 255).save(out, "GIF")
    with pytest.raises(PhotoError, match="signature is a GIF"):
        prepare_signature(out.getvalue())
