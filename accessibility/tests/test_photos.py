"""Photos decoded with Pillow: thumbnails, refusal of broken files and pixel bombs, serving."""

import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from accessibility import demo, services
from accessibility.models import Photo, RetrofitProject
from dfed.accounts.roles import Role

from .factories import FAKE_JPEG, image_bytes, jpeg, png, project_at

S = RetrofitProject.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(caseworker, reviewer, grab_bar, budget_a, budget_b):
    def _walk(stage, person, by=None):
        return project_at(
            stage, person=person, caseworker=by or caseworker, reviewer=reviewer, item=grab_bar
        )

    return _walk


@pytest.fixture
def project(walk, household):
    return walk(S.CONSTRUCTION, household)


def add(project, by, upload, kind="before"):
    """photo_add, with its on-commit thumbnail task run (eager Celery, as in ``make run``)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo = services.photo_add(project=project, by=by, kind=kind, upload=upload)
    photo.refresh_from_db()
    return photo


def opened(field_file) -> Image.Image:
    with field_file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` with almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# --- Thumbnails ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "size", "expected"),
    [
        ("PNG", (1000, 500), (320, 160)),
        ("JPEG", (600, 1200), (160, 320)),
        ("PNG", (200, 100), (200, 100)),  # small images are not enlarged
    ],
)
def test_real_png_and_jpeg_get_a_jpeg_thumbnail_next_to_the_original(
    project, caseworker, settings, fmt, size, expected
):
    upload = (png if fmt == "PNG" else jpeg)(content=image_bytes(fmt, size))
    photo = add(project, caseworker, upload)
    thumb = opened(photo.thumbnail)
    assert (thumb.format, thumb.size, thumb.mode) == ("JPEG", expected, "RGB")
    original = opened(photo.file)
    assert (original.format, original.size) == (fmt, size)
    assert photo.thumbnail.path.startswith(str(settings.MEDIA_ROOT))
    assert os.path.dirname(photo.thumbnail.path) == os.path.dirname(photo.file.path)
    stem = photo.file.name.rsplit(".", 1)[0]
    assert photo.thumbnail.name == f"{stem}-thumb.jpg"


def test_thumbnail_has_no_exif_and_is_upright(project, caseworker):
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}  # GPS
    content = image_bytes("JPEG", (800, 400), exif=exif)
    assert dict(Image.open(io.BytesIO(content)).getexif())  # the original carries EXIF
    photo = add(project, caseworker, jpeg(content=content))
    thumb = opened(photo.thumbnail)
    assert thumb.size == (160, 320)
    assert not dict(thumb.getexif())
    assert "exif" not in thumb.info
    assert "icc_profile" not in thumb.info


def test_stored_original_has_no_exif_and_keeps_its_size(project, caseworker):
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    content = image_bytes("JPEG", (800, 400), exif=exif)
    photo = add(project, caseworker, jpeg(content=content))
    original = opened(photo.file)
    assert original.size == (400, 800)  # upright, full size
    assert not dict(original.getexif())
    assert "exif" not in original.info
    with photo.file.open("rb") as stored:
        assert b"Canon" not in stored.read()


def test_transparent_png_thumbnail_is_flattened_on_white(project, caseworker):
    photo = add(project, caseworker, png(content=image_bytes("PNG", (40, 40), (0, 0, 0, 0))))
    assert opened(photo.thumbnail).getpixel((20, 20)) == pytest.approx((255, 255, 255), abs=2)


# --- Refusals -----------------------------------------------------------------------------------


def _refused(project, by, upload, match):
    before = set(_media_files())
    with pytest.raises(ValidationError, match=match) as info:
        add(project, by, upload)
    assert not Photo.objects.exists()
    assert set(_media_files()) == before  # nothing written
    return info.value


def _media_files():
    from django.conf import settings

    root = settings.MEDIA_ROOT / "accessibility" / "photos"
    return [os.path.join(d, f) for d, _s, files in os.walk(root) for f in files]


def test_jpeg_header_with_garbage_body_is_refused(project, caseworker):
    error = _refused(project, caseworker, jpeg(content=FAKE_JPEG), "无法识别为有效的 JPEG 图片")
    assert error.code == "image_broken"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_image_is_refused(project, caseworker, fmt):
    content = image_bytes(fmt, (400, 300), (10, 200, 30))
    content = content[: len(content) // 2]
    upload = (png if fmt == "PNG" else jpeg)(content=content)
    _refused(project, caseworker, upload, f"无法识别为有效的 {fmt} 图片")


def test_decompression_bomb_is_refused_before_decoding(project, caseworker):
    # 100000 × 100000 pixels claimed in a file of a few dozen bytes.
    bomb = png(content=png_header_only(100_000, 100_000))
    _refused(project, caseworker, bomb, "照片像素过大")


def test_pixel_and_side_limits_come_from_settings(project, caseworker, settings):
    settings.IMAGE_MAX_PIXELS = 10_000
    _refused(
        project, caseworker, png(content=image_bytes("PNG", (200, 100))), "200 × 100 像素，超出限制"
    )
    settings.IMAGE_MAX_PIXELS = 50_000_000
    settings.IMAGE_MAX_SIDE = 1000
    _refused(project, caseworker, png(content=png_header_only(1, 20_000)), "1 × 20000 像素")


def test_acceptance_refuses_an_undecodable_after_photo(walk, household, reviewer):
    from django.utils import timezone

    project = walk(S.ACCEPTANCE, household)
    with pytest.raises(ValidationError, match="无法识别"):
        services.project_accept(
            project=project,
            by=reviewer,
            items_done=True,
            family_satisfied=True,
            signed_by="户主",
            accepted_on=timezone.localdate(),
            photos=[("after", jpeg(content=FAKE_JPEG))],
        )
    assert RetrofitProject.objects.get(pk=project.pk).status == S.ACCEPTANCE


# --- Refresh (older photos, demo) ---------------------------------------------------------------


def test_thumbnail_refresh_builds_a_missing_thumbnail(project, caseworker):
    photo = add(project, caseworker, jpeg(content=image_bytes("JPEG", (640, 480))))
    Photo.objects.filter(pk=photo.pk).update(thumbnail="")
    photo.refresh_from_db()
    assert services.photo_thumbnail_refresh(photo=photo)
    photo.refresh_from_db()
    assert opened(photo.thumbnail).size == (320, 240)


def test_thumbnail_refresh_replaces_the_old_file(project, caseworker):
    photo = add(project, caseworker, jpeg())
    old = photo.thumbnail.path
    assert services.photo_thumbnail_refresh(photo=photo)
    photo.refresh_from_db()
    assert os.path.exists(photo.thumbnail.path)
    assert photo.thumbnail.path != old
    assert not os.path.exists(old)


def test_thumbnail_refresh_skips_a_missing_original(project, caseworker):
    photo = add(project, caseworker, jpeg())
    photo.file.storage.delete(photo.file.name)
    assert services.photo_thumbnail_refresh(photo=photo) is False


def test_demo_thumbnails_are_filled_in_idempotently(project, caseworker):
    photo = add(project, caseworker, jpeg())
    Photo.objects.filter(pk=photo.pk).update(thumbnail="")
    assert demo.load_thumbnails() == 1
    assert demo.load_thumbnails() == 0
    assert not Photo.objects.filter(thumbnail="").exists()


# --- Serving ------------------------------------------------------------------------------------


def url(name, *args):
    return reverse(f"accessibility:{name}", args=args)


def test_thumbnail_is_served_in_scope_only(
    client, walk, household, other_household, caseworker, reviewer, make_user, town_b
):
    worker_b = make_user("worker-b", Role.CASEWORKER, towns=[town_b])
    project_b = walk(S.CONSTRUCTION, other_household, by=worker_b)
    photo_b = add(project_b, worker_b, jpeg(content=image_bytes("JPEG", (900, 600))))
    mine = add(
        walk(S.CONSTRUCTION, household), caseworker, png(content=image_bytes("PNG", (900, 600)))
    )
    client.force_login(caseworker)
    response = client.get(url("photo-file", mine.pk), {"size": "thumb"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (320, 213)
    full = client.get(url("photo-file", mine.pk))
    assert full["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(full.streaming_content))).size == (900, 600)
    for size in ("thumb", ""):
        assert client.get(url("photo-file", photo_b.pk), {"size": size}).status_code == 404
    client.force_login(worker_b)
    assert client.get(url("photo-file", photo_b.pk), {"size": "thumb"}).status_code == 200
    assert client.get(url("photo-file", mine.pk), {"size": "thumb"}).status_code == 404
    client.logout()
    assert client.get(url("photo-file", mine.pk), {"size": "thumb"}).status_code == 302


def test_photo_without_thumbnail_serves_a_small_placeholder_not_the_original(
    client, project, caseworker, make_user, town_b
):
    photo = add(project, caseworker, jpeg(content=image_bytes("JPEG", (2400, 1800))))
    Photo.objects.filter(pk=photo.pk).update(thumbnail="")
    client.force_login(caseworker)
    response = client.get(url("photo-file", photo.pk), {"size": "thumb"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"  # asked again once the task ran
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response.content) < 1000
    assert response.content.startswith(b"<svg")
    with photo.file.open("rb") as stored:
        assert response.content != stored.read()
    full = client.get(url("photo-file", photo.pk))  # the original is still there, on its URL
    assert full["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(full.streaming_content))).size == (2400, 1800)
    client.force_login(make_user("worker-b", Role.CASEWORKER, towns=[town_b]))
    assert client.get(url("photo-file", photo.pk), {"size": "thumb"}).status_code == 404


def test_detail_shows_thumbnails_linking_to_the_full_photo(client, project, caseworker, grab_bar):
    photo = add(project, caseworker, jpeg())
    with TestCase.captureOnCommitCallbacks(execute=True):
        after = services.photo_add(
            project=project, by=caseworker, kind="after", upload=png(), caption="扶手已装"
        )
    client.force_login(caseworker)
    body = client.get(url("project-detail", project.pk)).content.decode()
    full, thumb = url("photo-file", photo.pk), url("photo-file", photo.pk) + "?size=thumb"
    assert f'<a href="{full}" data-testid="photo-link"><img src="{thumb}"' in body
    assert f'alt="改造前照片：张低保家{grab_bar.name}"' in body
    assert f'alt="改造后照片：张低保家{grab_bar.name}（扶手已装）"' in body
    assert url("photo-file", after.pk) + "?size=thumb" in body


# --- Thumbnails off the request -------------------------------------------------------------------


def test_thumbnail_is_made_by_the_task_after_commit(project, caseworker, client):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        photo = services.photo_add(project=project, by=caseworker, kind="before", upload=png())
    assert not Photo.objects.get(pk=photo.pk).thumbnail  # nothing made during the request
    client.force_login(caseworker)
    page = client.get(reverse("accessibility:project-detail", args=[project.pk])).content.decode()
    assert 'data-testid="thumbnail-pending"' in page
    assert len(callbacks) == 1
    callbacks[0]()  # the enqueued photo_thumbnail_make task (eager)
    photo.refresh_from_db()
    assert opened(photo.thumbnail).size == (64, 48)
    page = client.get(reverse("accessibility:project-detail", args=[project.pk])).content.decode()
    assert 'data-testid="thumbnail-pending"' not in page
    assert "?size=thumb" in page


def test_photo_thumbnail_make_task_skips_a_deleted_photo(db):
    from accessibility.tasks import photo_thumbnail_make_task

    assert photo_thumbnail_make_task(987654) is False
