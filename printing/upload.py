"""Opening an uploaded photo or signature safely: JPEG or PNG only, bounded in bytes and pixels.

Every refusal is a `PhotoError` whose message names the problem (format, size, damage), for
the upload endpoint to return as a 400. Only Pillow's JPEG and PNG decoders ever see the bytes.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageOps

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
        raise PhotoError(f"{what}: expected the file's bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise PhotoError(
            f"{what} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB"
        )
    kind = sniff(data)
    if kind is None:
        raise PhotoError(f"{what} is not an image file; send a JPEG or PNG")
    if kind not in _ACCEPTED:
        raise PhotoError(f"{what} is a {kind} file; only JPEG and PNG are accepted")
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])
        if image.width * image.height > MAX_PIXELS:
            raise _bomb(what, image.width, image.height)
        image.load()
    except Image.DecompressionBombError:
        raise PhotoError(
            f"{what} declares more than {MAX_PIXELS // 1_000_000} megapixels "
            "(a decompression bomb?); send a normal camera photo"
        ) from None
    except PhotoError:
        raise
    except (OSError, SyntaxError, EOFError, ValueError) as exc:
        raise PhotoError(
            f"{what} is truncated or damaged ({kind}: {exc}); upload it again"
        ) from None
    return _upright_srgb(image)


def _bomb(what: str, width: int, height: int) -> PhotoError:
    return PhotoError(
        f"{what} is {width} x {height} pixels, more than {MAX_PIXELS // 1_000_000} megapixels "
        "(a decompression bomb?); send a normal camera photo"
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
