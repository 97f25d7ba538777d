"""Opening an uploaded photo or signature safely: JPEG or PNG only, bounded in bytes and pixels.

Every refusal is a `PhotoError` whose message names the problem (format, size, damage), for
the upload endpoint to return as a 400, with a stable `code` and the values of the message as
`params` (always `what`: "photo" or "signature"). Only Pillow's JPEG and PNG decoders ever see
the bytes.
"""

from __future__ import annotations

import io
import re

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import PhotoError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000

_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
)
_ACCEPTED = ("JPEG", "PNG")
_SRGB = ImageCms.createProfile("sRGB")
_OBJECT_REPR = re.compile(r"\s*<[^<>]*>")
_DETAIL_CHARS = 80


def format_bytes(size: int) -> str:
    """A byte count as a clerk reads it: "850 bytes", "4.9 KB", "5.2 MB" (1 KB = 1000 bytes)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


def sizes_apart(size: int, limit: int) -> tuple[str, str]:
    """`size` and `limit` formatted so that the reader sees the first is larger: in bytes when
    rounding would show them equal."""
    shown = format_bytes(size), format_bytes(limit)
    if shown[0] == shown[1]:
        return f"{size:,} bytes", f"{limit:,} bytes"
    return shown


def sniff(data: bytes) -> str | None:
    """The format named by the file's first bytes, or None when it is no image we know."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "HEIC/AVIF"
    return None


def open_upload(data: bytes, what: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Image.Image:
    """Decode an upload fully, upright (EXIF orientation applied), without its metadata.

    `what` ("photo", "signature") starts every error message.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PhotoError(f"{what}: expected the file's bytes", "not-bytes", what=what)
    data = bytes(data)
    if len(data) > max_bytes:
        size, limit = sizes_apart(len(data), max_bytes)
        raise PhotoError(f"{what} is {size}; the limit is {limit}", "too-large",
                         what=what, size=len(data), limit=max_bytes)
    kind = sniff(data)
    if kind is None:
        raise PhotoError(f"{what} is not an image file; send a JPEG or PNG", "not-an-image",
                         what=what)
    if kind not in _ACCEPTED:
        raise PhotoError(f"{what} is a {kind} file; only JPEG and PNG are accepted",
                         "wrong-format", what=what, format=kind)
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])
        if image.width * image.height > MAX_PIXELS:
            raise _bomb(what, image.width, image.height)
        image.load()
    except Image.DecompressionBombError:
        raise _bomb(what, None, None) from None
    except PhotoError:
        raise
    except UnidentifiedImageError:
        raise PhotoError(
            f"{what} is truncated or damaged: it starts like a {kind} file but cannot be read "
            "as one; upload it again", "damaged", what=what, format=kind,
        ) from None
    except (OSError, SyntaxError, EOFError, ValueError) as exc:
        detail = _OBJECT_REPR.sub("", str(exc)).strip()[:_DETAIL_CHARS]
        raise PhotoError(
            f"{what} is truncated or damaged ({kind}{': ' + detail if detail else ''}); "
            "upload it again", "damaged", what=what, format=kind,
        ) from None
    return _upright_srgb(image)


def _bomb(what: str, width: int | None, height: int | None) -> PhotoError:
    megapixels = MAX_PIXELS // 1_000_000
    declared = "declares" if width is None else f"is {width} x {height} pixels,"
    return PhotoError(
        f"{what} {declared} more than {megapixels} megapixels "
        "(a decompression bomb?); send a normal camera photo",
        "too-many-pixels", what=what, width=width, height=height, max_megapixels=megapixels,
    )


def _upright_srgb(image: Image.Image) -> Image.Image:
    """Apply EXIF orientation and convert to sRGB if the file carries a colour profile."""
    upright = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    if icc and upright.mode in ("RGB", "RGBA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            upright = ImageCms.profileToProfile(upright, source, _SRGB, outputMode=upright.mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return upright


def without_metadata(image: Image.Image) -> Image.Image:
    """The same pixels with no EXIF, ICC profile, comments or text chunks attached."""
    image.info = {}
    return image


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency composited onto white."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
