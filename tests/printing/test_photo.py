"""Photo uploads: refused with a reason, or made upright, 3:4, print-sized, clean, checked."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pytest
from PIL import Image, ImageCms

from printing import (
    PhotoError,
    expected_background,
    format_bytes,
    get_layout,
    layout_for,
    minimum_pixels,
    prepare_photo,
    prepare_signature,
)

from .samples import BLUE, ORANGE, RED, portrait

PHOTO_PX = get_layout("ktp-wni").photo.pixels()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares `width` x `height`: what a decompression bomb looks like."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def open_jpeg(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    return image


def test_prepared_photo_is_a_print_sized_three_by_four_jpeg():
    prepared = prepare_photo(portrait(RED, size=(1200, 1000)), tanggal_lahir=date(1981, 1, 1))
    image = open_jpeg(prepared.jpeg)
    assert image.size == prepared.size == PHOTO_PX == (236, 315)
    assert image.mode == "RGB"


def test_same_upload_gives_the_same_bytes():
    upload = portrait(RED)
    assert prepare_photo(upload).jpeg == prepare_photo(upload).jpeg


def test_png_with_transparency_is_accepted_on_white():
    image = Image.new("RGBA", (300, 400), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    prepared = prepare_photo(out.getvalue())
    assert open_jpeg(prepared.jpeg).getpixel((5, 5)) >= (250, 250, 250)


def test_cmyk_jpeg_is_accepted():
    out = io.BytesIO()
    Image.new("CMYK", (300, 400), (0, 200, 200, 0)).save(out, "JPEG")
    assert open_jpeg(prepare_photo(out.getvalue()).jpeg).mode == "RGB"


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (b"hello, this is not a photo", "not an image"),
        (b"", "not an image"),
        (b"%PDF-1.4 ...", "PDF"),
    ],
)
def test_non_images_are_refused(upload, reason):
    with pytest.raises(PhotoError, match=reason):
        prepare_photo(upload)


def test_gif_is_refused_by_name():
    out = io.BytesIO()
    Image.new("RGB", (30, 40), RED).save(out, "GIF")
    with pytest.raises(PhotoError, match="GIF"):
        prepare_photo(out.getvalue())


def test_truncated_jpeg_is_refused():
    upload = portrait(RED)
    with pytest.raises(PhotoError, match="truncated or damaged"):
        prepare_photo(upload[: len(upload) // 2])


def test_damaged_png_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (300, 400), RED).save(out, "PNG")
    data = out.getvalue()
    with pytest.raises(PhotoError, match="truncated or damaged"):
        prepare_photo(data[:60] + b"\x00" * 20 + data[80:])


@pytest.mark.parametrize("side", [7_000, 40_000])
def test_decompression_bomb_is_refused_before_decoding(side):
    with pytest.raises(PhotoError, match="decompression bomb"):
        prepare_photo(png_header_only(side, side))


def test_upload_over_the_byte_limit_is_refused():
    upload = portrait(RED)
    with pytest.raises(PhotoError, match="limit"):
        prepare_photo(upload, max_bytes=len(upload) - 1)


def test_exif_orientation_is_applied():
    stored = Image.new("RGB", (800, 600), RED)
    stored.paste((0, 200, 0), (0, 0, 200, 150))  # green in the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise
    out = io.BytesIO()
    stored.save(out, "JPEG", exif=exif.tobytes())
    image = open_jpeg(prepare_photo(out.getvalue()).jpeg)
    r, g, _ = image.getpixel((image.width - 5, 5))
    assert g > 150 and r < 100  # the corner is now top-right, portrait way up
    r, g, _ = image.getpixel((5, 5))
    assert r > 150 and g < 100


def test_metadata_is_dropped():
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif[0x0112] = 1
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = portrait(RED, exif=exif.tobytes(), icc=icc, comment=b"taken at home")
    jpeg = prepare_photo(upload).jpeg
    image = open_jpeg(jpeg)
    assert not {"exif", "icc_profile", "comment"} & set(image.info)
    assert b"SecretCameraMaker" not in jpeg and b"taken at home" not in jpeg
    assert b"Exif" not in jpeg


def test_crop_is_centred_three_by_four_by_default():
    wide = Image.new("RGB", (1600, 800), BLUE)
    wide.paste(RED, (0, 0, 400, 800))
    wide.paste(RED, (1200, 0, 1600, 800))
    out = io.BytesIO()
    wide.save(out, "JPEG", quality=95)
    assert prepare_photo(out.getvalue()).background == "blue"


def test_crop_box_chooses_the_part_kept():
    image = Image.new("RGB", (800, 800), RED)
    image.paste(BLUE, (0, 0, 400, 800))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    assert prepare_photo(out.getvalue(), crop=(0, 0, 390, 800)).background == "blue"
    assert prepare_photo(out.getvalue(), crop=(410, 0, 800, 800)).background == "red"


def test_crop_box_outside_the_photo_is_refused():
    with pytest.raises(PhotoError, match="crop box"):
        prepare_photo(portrait(RED), crop=(0, 0, 5000, 100))


@pytest.mark.parametrize(
    ("background", "born", "layout", "warned"),
    [
        (RED, date(1981, 1, 1), "ktp-wni", False),
        (BLUE, date(1980, 1, 1), "ktp-wni", False),
        (BLUE, date(1981, 1, 1), "ktp-wni", True),
        (RED, date(1980, 1, 1), "ktp-wni", True),
        (ORANGE, date(1980, 1, 1), "ktp-wna", False),
        (RED, date(1981, 1, 1), "ktp-wna", True),
        ((250, 250, 250), date(1981, 1, 1), "ktp-wni", True),
    ],
)
def test_background_colour_rule_warns_not_refuses(background, born, layout, warned):
    prepared = prepare_photo(portrait(background), tanggal_lahir=born, layout=layout)
    codes = [w.code for w in prepared.warnings]
    assert ("background-colour" in codes) is warned
    if warned:
        expected = expected_background(layout, born)
        assert expected in str(prepared.warnings[0])


def test_small_photo_is_used_with_a_warning():
    prepared = prepare_photo(portrait(RED, size=(120, 160)), tanggal_lahir=date(1981, 1, 1))
    assert [w.code for w in prepared.warnings] == ["low-resolution"]
    assert prepared.warnings[0].params == {"width": 120, "height": 160,
                                           "print_width": 236, "print_height": 315}
    assert open_jpeg(prepared.jpeg).size == PHOTO_PX


def test_minimum_resolution_is_the_photo_box_at_150_dpi():
    assert minimum_pixels("ktp-wni") == minimum_pixels("ktp-wna") == (118, 158)
    at_minimum = prepare_photo(portrait(RED, size=(118, 158)))
    assert [w.code for w in at_minimum.warnings] == ["low-resolution"]


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, RED).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("size", "part"), [
    ((1, 1), "0 x 1"), ((30_000, 2), "1 x 2"), ((3, 4), "3 x 4"), ((117, 156), "117 x 156"),
])
def test_photo_too_small_to_print_is_refused_naming_the_minimum(size, part):
    with pytest.raises(PhotoError) as refused:
        prepare_photo(png(size))
    message = str(refused.value)
    assert "None" not in message
    assert f"its 3:4 part is {part} pixels" in message
    assert "at least 118 x 158 pixels" in message
    assert refused.value.code == "too-small"
    assert refused.value.params["min_width"] == 118 and refused.value.params["min_height"] == 158


def test_a_crop_too_small_to_print_is_refused():
    with pytest.raises(PhotoError, match=r"chosen crop.*at least 118 x 158") as refused:
        prepare_photo(portrait(RED), crop=(0, 0, 60, 80))
    assert refused.value.code == "too-small" and refused.value.params["cropped"] is True


def test_jpeg_header_with_garbage_is_damaged_without_python_internals():
    garbage = bytes((i * 97 + 13) % 256 for i in range(4000))
    with pytest.raises(PhotoError, match="truncated or damaged") as refused:
        prepare_photo(b"\xff\xd8\xff\xe0" + garbage)
    message = str(refused.value)
    assert "BytesIO" not in message and "0x" not in message and "<" not in message
    assert refused.value.code == "damaged"
    assert refused.value.params == {"what": "photo", "format": "JPEG"}


@pytest.mark.parametrize(("limit", "said"), [
    (5_000, "the limit is 5.0 KB"),
    (1_000_000, "the limit is 1.0 MB"),
    (900, "the limit is 900 bytes"),
])
def test_byte_limit_is_said_in_sensible_units(limit, said):
    upload = portrait(RED, size=(600, 800)) + b"\0" * 2_000_000
    with pytest.raises(PhotoError, match=said) as refused:
        prepare_photo(upload, max_bytes=limit)
    assert "0.0" not in str(refused.value)
    assert refused.value.code == "too-large"
    assert refused.value.params == {"what": "photo", "size": len(upload), "limit": limit}


def test_a_size_just_over_the_limit_is_said_in_bytes():
    with pytest.raises(PhotoError, match="photo is 5,001 bytes; the limit is 5,000 bytes"):
        prepare_photo(b"\xff\xd8\xff" + b"\0" * 4998, max_bytes=5000)


def test_format_bytes():
    assert [format_bytes(n) for n in (0, 999, 1000, 5000, 999_949, 5_000_000, 5_242_880)] == [
        "0 bytes", "999 bytes", "1.0 KB", "5.0 KB", "999.9 KB", "5.0 MB", "5.2 MB"]


@pytest.mark.parametrize(("upload", "code", "params"), [
    (b"hello", "not-an-image", {"what": "photo"}),
    (b"GIF89a" + b"\0" * 50, "wrong-format", {"what": "photo", "format": "GIF"}),
    (png_header_only(7_000, 7_000), "too-many-pixels",
     {"what": "photo", "width": 7_000, "height": 7_000, "max_megapixels": 40}),
])
def test_refusals_carry_a_code_and_the_values_of_their_message(upload, code, params):
    with pytest.raises(PhotoError) as refused:
        prepare_photo(upload)
    assert (refused.value.code, refused.value.params) == (code, params)


def test_crop_outside_and_signature_without_ink_carry_codes():
    with pytest.raises(PhotoError) as outside:
        prepare_photo(portrait(RED), crop=(0, 0, 5000, 100))
    assert outside.value.code == "crop-outside"
    assert outside.value.params["width"] == 600 and outside.value.params["crop"] == (0, 0, 5000, 100)
    out = io.BytesIO()
    Image.new("RGB", (300, 100), (240, 240, 240)).save(out, "PNG")
    with pytest.raises(PhotoError, match="no ink") as blank:
        prepare_signature(out.getvalue())
    assert (blank.value.code, blank.value.params) == ("no-ink", {"what": "signature"})
    with pytest.raises(PhotoError) as not_image:
        prepare_signature(b"hello")
    assert not_image.value.params == {"what": "signature"}


def test_background_warning_carries_what_it_found_and_why():
    born = date(1972, 3, 1)
    [warning] = prepare_photo(portrait(RED), tanggal_lahir=born).warnings
    assert warning.code == "background-colour"
    assert str(warning) == ("photo background looks red, but the rule asks for blue "
                            "(born in 1972)")
    assert warning.params == {"found": "red", "expected": "blue", "reason": "birth-year",
                              "year": 1972, "layout": "ktp-wni"}
    [wna] = prepare_photo(portrait(RED), tanggal_lahir=born, layout="ktp-wna").warnings
    assert wna.params["reason"] == "wna" and wna.params["expected"] == "orange"


def test_rule_by_birth_year_and_citizenship():
    assert expected_background("ktp-wni", date(1999, 5, 1)) == "red"
    assert expected_background("ktp-wni", date(2000, 5, 1)) == "blue"
    assert expected_background(layout_for("WNA"), date(2000, 5, 1)) == "orange"
    assert expected_background("ktp-wni", None) is None
    assert layout_for("WNI") == "ktp-wni"
