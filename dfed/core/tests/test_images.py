"""dfed.core.images: refuses what is not a JPEG/PNG within the limits; thumbnails are small,
upright and carry no EXIF."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from dfed.core.images import image_thumbnail


def _file(image: Image.Image, fmt: str, **save) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    buffer.seek(0)
    return buffer


def test_thumbnail_of_a_large_rgba_png_fits_and_drops_transparency():
    image = Image.new("RGBA", (3000, 1500), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 1500, 1500))
    thumb = Image.open(io.BytesIO(image_thumbnail(_file(image, "PNG"), "image/png").read()))
    assert thumb.format == "JPEG"
    assert thumb.size == (320, 160)
    assert thumb.getpixel((40, 80))[2] > 200  # the opaque blue half stays blue
    assert thumb.getpixel((280, 80)) > (240, 240, 240)  # the transparent half is white


def test_thumbnail_is_upright_and_carries_no_exif():
    image = Image.new("RGB", (800, 400), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Camera maker"
    upload = _file(image, "JPEG", exif=exif.tobytes())
    thumb = Image.open(io.BytesIO(image_thumbnail(upload, "image/jpeg").read()))
    assert thumb.size == (160, 320)
    assert not thumb.getexif()
    assert upload.tell() == 0


def test_a_palette_png_gets_a_thumbnail():
    image = Image.new("P", (1000, 1000), 3)
    thumb = Image.open(io.BytesIO(image_thumbnail(_file(image, "PNG"), "image/png").read()))
    assert thumb.size == (320, 320)


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 10_000
    upload = _file(Image.new("RGB", (200, 200)), "PNG")
    with pytest.raises(ValidationError) as exc:
        image_thumbnail(upload, "image/png")
    assert exc.value.code == "image_too_large"
    assert "200 × 200" in exc.value.messages[0]


def test_a_truncated_png_is_refused():
    data = _file(Image.new("RGB", (400, 400), (1, 2, 3)), "PNG").getvalue()
    with pytest.raises(ValidationError) as exc:
        image_thumbnail(io.BytesIO(data[: len(data) // 2]), "image/png")
    assert exc.value.code == "image_broken"
