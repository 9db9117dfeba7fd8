"""Photos with Pillow: prove an upload is the JPEG/PNG it claims, within size limits, and make an
EXIF-free JPEG thumbnail of it — for any app that takes photos.

The magic-byte check in ``dfed.core.files.validate_upload`` runs first. Here the file is parsed,
its dimensions checked against the limits *before* any pixel is decoded (decompression bombs),
``verify()``-ed (streams the file, decodes nothing), then decoded once for the thumbnail with the
memory bounded: a JPEG is decoded at a reduced scale (``draft``); a PNG is decoded once and then
box-reduced strip by strip (``reduce``) before the final resize, so no second full-size copy is
made (a 49-megapixel RGBA PNG: about 200 MB above the process's baseline, was 564 MB); the EXIF
orientation is applied to the small image. The thumbnail is a fresh image: no EXIF (GPS,
camera), no ICC profile, no text chunks; :func:`image_strip_metadata` gives the original the
same treatment at full size, so no stored photo keeps its GPS position.

Settings (with defaults): ``IMAGE_MAX_PIXELS`` (50,000,000: width × height), ``IMAGE_MAX_SIDE``
(16,384 px), ``IMAGE_THUMBNAIL_SIZE`` (320 px, the thumbnail's longest side).
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
THUMBNAIL_QUALITY = 82
ORIGINAL_QUALITY = 92


def image_max_pixels() -> int:
    """Largest image accepted, in pixels (width × height); larger files are refused unread."""
    return int(getattr(settings, "IMAGE_MAX_PIXELS", 50_000_000))


def image_max_side() -> int:
    """Longest side accepted, in pixels (catches absurd shapes such as 1 × 40000)."""
    return int(getattr(settings, "IMAGE_MAX_SIDE", 16_384))


def thumbnail_size() -> int:
    """Longest side of a thumbnail, in pixels."""
    return int(getattr(settings, "IMAGE_THUMBNAIL_SIZE", 320))


def _broken(content_type: str) -> ValidationError:
    return ValidationError(
        _("照片无法识别为有效的 %(type)s 图片，文件可能已损坏，请重新导出或拍摄后上传")
        % {"type": FORMATS.get(content_type, content_type)},
        code="image_broken",
    )


def _too_large(size: tuple[int, int] | None) -> ValidationError:
    limit = {"mp": round(image_max_pixels() / 1_000_000), "side": image_max_side()}
    if size is None:
        message = _("照片像素过大，不能超过 %(mp)s 百万像素、边长不能超过 %(side)s 像素") % limit
    else:
        message = _(
            "照片尺寸为 %(w)s × %(h)s 像素，超出限制（不超过 %(mp)s 百万像素、边长不超过 "
            "%(side)s 像素），请缩小后再上传"
        ) % {"w": size[0], "h": size[1], **limit}
    return ValidationError(message, code="image_too_large")


def _open(upload, content_type: str) -> Image.Image:
    upload.seek(0)
    try:
        image = Image.open(upload, formats=[FORMATS[content_type]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(None) from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError... on bad input
        raise _broken(content_type) from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise ValidationError(_("照片尺寸无效"), code="image_broken")
    if width * height > image_max_pixels() or max(width, height) > image_max_side():
        raise _too_large((width, height))
    return image


def image_check(upload, content_type: str) -> None:
    """Check that ``upload`` (a file object) decodes as ``content_type`` (``image/jpeg`` or
    ``image/png``) within the limits, without decoding its pixels (cheap: a web request may do
    it; thumbnails are made later, off the request).

    Raises ValidationError (a Chinese message; code ``image_broken`` or ``image_too_large``) for a
    file that is not really such an image or is too large in pixels. The upload is left rewound.
    """
    if content_type not in FORMATS:
        raise _broken(content_type)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open(upload, content_type)
            try:
                image.verify()
            except Exception as exc:
                raise _broken(content_type) from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_large(None) from exc
        finally:
            upload.seek(0)


def image_thumbnail(upload, content_type: str) -> ContentFile:
    """:func:`image_check` ``upload``, then return an EXIF-free JPEG thumbnail of it
    (``thumb.jpg``, longest side ``thumbnail_size()``).

    Raises ValidationError as :func:`image_check`, and ``image_broken`` for truncated pixel data.
    The upload is left rewound.
    """
    image_check(upload, content_type)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            thumbnail = _render(_open(upload, content_type), content_type)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_large(None) from exc
        finally:
            upload.seek(0)
    return thumbnail


def _render(image: Image.Image, content_type: str) -> ContentFile:
    side = thumbnail_size()
    try:
        if image.format == "JPEG":
            image.draft("RGB", (side, side))  # decode at a reduced scale: fast, little memory
        exif = image.getexif()
        small = _shrink(image, side)
        del image  # free the full-size pixels
        small.info["exif"] = exif.tobytes()
        small = ImageOps.exif_transpose(small)  # upright, as the camera meant
        if small.mode == "RGBA":
            clean = Image.new("RGB", small.size, (255, 255, 255))
            clean.paste(small, mask=small.getchannel("A"))
        else:
            clean = Image.new("RGB", small.size)
            clean.paste(small.convert("RGB"))
    except Exception as exc:  # truncated or corrupt pixel data
        raise _broken(content_type) from exc
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name="thumb.jpg")


STRIP_ROWS = 256


def _shrink(image: Image.Image, side: int) -> Image.Image:
    """``image`` scaled to fit ``side`` × ``side``, as RGB or RGBA, without a full-size copy:
    the decoded image is box-reduced strip by strip (``reduce``), then resized with LANCZOS."""
    width, height = image.size
    scale = min(side / width, side / height, 1)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    mode = "RGBA" if _has_alpha(image) else "RGB"
    factor = max(1, int(1 / scale) // 2)  # leave LANCZOS a factor of 2 to smooth
    if factor == 1:
        reduced = image if image.mode == mode else image.convert(mode)
    else:
        rows = factor * max(1, STRIP_ROWS // factor)  # a multiple of factor: blocks never split
        reduced = Image.new(mode, (-(-width // factor), -(-height // factor)))
        for top in range(0, height, rows):
            strip = image.crop((0, top, width, min(top + rows, height)))
            if strip.mode != mode:
                strip = strip.convert(mode)
            reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced.resize(size, Image.Resampling.LANCZOS, reducing_gap=None)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def image_strip_metadata(upload, content_type: str) -> ContentFile:
    """The original photo re-encoded at full size without EXIF (GPS position, camera, time),
    ICC profile or text chunks, turned upright as the camera meant. Call after
    :func:`image_thumbnail` has proved the file decodes within the limits; the upload is left
    rewound. Raises ValidationError (``image_broken``) for truncated pixel data."""
    try:
        image = _open(upload, content_type)
        image = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        if content_type == "image/png":
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            if "transparency" in image.info:
                clean.info["transparency"] = image.info["transparency"]
            clean.save(buffer, "PNG", optimize=True)
        else:
            rgb = image.convert("RGB")
            clean = Image.new("RGB", rgb.size)
            clean.paste(rgb)
            clean.save(buffer, "JPEG", quality=ORIGINAL_QUALITY, optimize=True)
    except ValidationError:
        raise
    except Exception as exc:  # truncated pixel data
        raise _broken(content_type) from exc
    finally:
        upload.seek(0)
    name = getattr(upload, "name", "") or "photo"
    return ContentFile(buffer.getvalue(), name=name.rsplit("/", 1)[-1])
