"""Photo decoding with Pillow: prove an upload is the JPEG/PNG it claims, and make its thumbnail.

The magic-byte check in ``dfed.core.files.validate_upload`` runs first; here the file is parsed
(``verify()``), re-opened, its dimensions checked against the limits in ``conf`` *before* any
pixel is decoded (decompression bombs), and then decoded once to build a JPEG thumbnail. The
thumbnail is a fresh image: no EXIF (GPS, camera), no ICC profile, no text chunks; so is the
stored original (``strip_metadata``).
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .conf import photo_max_pixels, photo_max_side, thumbnail_size

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
LABELS = {"image/jpeg": "JPEG", "image/png": "PNG"}
THUMBNAIL_QUALITY = 82
ORIGINAL_QUALITY = 92


def _broken(content_type: str) -> ValidationError:
    return ValidationError(
        _("照片无法识别为有效的 %(type)s 图片，文件可能已损坏，请重新导出或拍摄后上传")
        % {"type": LABELS.get(content_type, content_type)},
        code="image_broken",
    )


def _open(upload, content_type: str) -> Image.Image:
    upload.seek(0)
    try:
        image = Image.open(upload, formats=[FORMATS[content_type]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(None) from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError... on bad input
        raise _broken(content_type) from exc
    return image


def _too_large(size: tuple[int, int] | None) -> ValidationError:
    limit = {"mp": round(photo_max_pixels() / 1_000_000), "side": photo_max_side()}
    if size is None:
        message = _("照片像素过大，不能超过 %(mp)s 百万像素、边长不能超过 %(side)s 像素") % limit
    else:
        message = _(
            "照片尺寸为 %(w)s × %(h)s 像素，超出限制（不超过 %(mp)s 百万像素、边长不超过 "
            "%(side)s 像素），请缩小后再上传"
        ) % {"w": size[0], "h": size[1], **limit}
    return ValidationError(message, code="image_too_large")


def _check_dimensions(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise ValidationError(_("照片尺寸无效"), code="image_broken")
    if width * height > photo_max_pixels() or max(width, height) > photo_max_side():
        raise _too_large((width, height))


def make_thumbnail(upload, content_type: str) -> ContentFile:
    """Check that ``upload`` decodes as ``content_type`` and return a JPEG thumbnail of it.

    Raises a ValidationError (Chinese message) for a file that is not really such an image, is
    truncated, or is too large in pixels. The upload is left rewound.
    """
    if content_type not in FORMATS:
        raise _broken(content_type)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open(upload, content_type)
            _check_dimensions(image)
            try:
                image.verify()
            except Exception as exc:
                raise _broken(content_type) from exc
            image = _open(upload, content_type)  # verify() leaves the image unusable
            _check_dimensions(image)
            thumbnail = _render(image, content_type)
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
        image = ImageOps.exif_transpose(image)  # upright, as the camera meant
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        if image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        ):
            rgba = image.convert("RGBA")
            clean = Image.new("RGB", rgba.size, (255, 255, 255))
            clean.paste(rgba, mask=rgba.getchannel("A"))
        else:
            rgb = image.convert("RGB")
            clean = Image.new("RGB", rgb.size)
            clean.paste(rgb)
    except Exception as exc:  # truncated or corrupt pixel data
        raise _broken(content_type) from exc
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name="thumb.jpg")


def strip_metadata(upload, content_type: str) -> ContentFile:
    """The original photo re-encoded at full size without EXIF (GPS position, camera, time),
    ICC profile or text chunks, turned upright as the camera meant. Call after
    :func:`make_thumbnail` has proved the file decodes; the upload is left rewound."""
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
