"""Photos of a retrofit project and its 验收 (acceptance)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfed.core.files import validate_upload
from dfed.core.images import image_check, image_strip_metadata, image_thumbnail
from dfed.core.permissions import require

from ..conf import photo_max_bytes
from ..models import (
    Photo,
    RetrofitProject,
)
from .projects import (
    APPROVE,
    PHOTO_TYPES,
    Action,
    Status,
    _lock,
    _move,
    _not_future,
    _require_stage,
)

# --- Photos and 验收 -----------------------------------------------------------------------


def _validate_photo(upload) -> str:
    """Type, size and magic bytes, then the image header and limits; returns the content type."""
    content_type = validate_upload(upload, allowed=PHOTO_TYPES, max_bytes=photo_max_bytes())
    image_check(upload, content_type)
    return content_type


def _clean_original(upload, content_type: str) -> ContentFile:
    """What is stored of the upload: the photo without EXIF (GPS, camera) or other metadata."""
    return image_strip_metadata(upload, content_type)


@transaction.atomic
def photo_add(*, project: RetrofitProject, by, kind: str, upload, caption: str = "") -> Photo:
    """Store a JPG/PNG before/after photo of a project that is not yet completed, without its
    metadata; its thumbnail is made off the request by ``photo_thumbnail_make`` (enqueued on
    commit), and pages show a placeholder until then.

    Raises: PermissionDenied if ``by`` lacks accessibility.add_photo or the project's town;
    ValidationError if the project is completed or terminated, no kind is chosen or the image is
    refused (type, size, broken or oversized)."""
    require(by, "accessibility.add_photo", town_id=project.town_id)
    if project.status == Status.COMPLETED:
        raise ValidationError(_("项目已完成，不能再上传照片"))
    if project.status == Status.TERMINATED:
        raise ValidationError(_("项目已终止，不能再上传照片"))
    if kind not in Photo.Kind.values:
        raise ValidationError({"kind": _("请选择照片类型")})
    content_type = _validate_photo(upload)
    photo = Photo.objects.create(
        project=project,
        kind=kind,
        file=_clean_original(upload, content_type),
        content_type=content_type,
        caption=caption.strip(),
        uploaded_by=by,
    )
    from ..tasks import photo_thumbnail_make_task

    photo_thumbnail_make_task.delay_on_commit(photo.pk)
    return photo


def photo_thumbnail_refresh(*, photo: Photo) -> bool:
    """(Re)build a stored photo's thumbnail from its original; False when the file is missing."""
    if not photo.file or not photo.file.storage.exists(photo.file.name):
        return False
    with photo.file.open("rb") as original:
        thumbnail = image_thumbnail(original, photo.content_type)
    old = photo.thumbnail.name if photo.thumbnail else ""
    photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
    Photo.objects.filter(pk=photo.pk).update(thumbnail=photo.thumbnail.name)
    if old and old != photo.thumbnail.name:
        photo.thumbnail.storage.delete(old)
    return True


@transaction.atomic
def project_accept(
    *,
    project: RetrofitProject,
    by,
    items_done: bool,
    family_satisfied: bool,
    signed_by: str,
    accepted_on: date,
    note: str = "",
    photos: list[tuple[str, object]] = (),
) -> RetrofitProject:
    """验收: sign off the work with photos; the project is completed.

    Raises: PermissionDenied if ``by`` lacks accessibility.approve_retrofitproject or the town;
    ValidationError if the work is unfinished or the family unsatisfied, the signer or date is
    missing, the date is before completion, there is no after-photo, or the project is not at
    验收."""
    project = _lock(project)
    require(by, APPROVE, town_id=project.town_id)
    _require_stage(project, Status.ACCEPTANCE, Status.COMPLETED)
    if not (items_done and family_satisfied):
        raise ValidationError(_("改造内容未全部完成或家庭不满意的，请退回整改，不能验收通过"))
    if not (signed_by or "").strip():
        raise ValidationError({"signed_by": _("请填写验收签字人")})
    if accepted_on is None:
        raise ValidationError({"accepted_on": _("请填写验收日期")})
    _not_future(accepted_on, "accepted_on", _("验收日期"))
    if project.construction_finish and accepted_on < project.construction_finish:
        raise ValidationError({"accepted_on": _("验收日期不能早于完工日期")})
    for _kind, upload in photos:
        _validate_photo(upload)
    has_after = project.photos.filter(kind=Photo.Kind.AFTER).exists()
    if not has_after and not any(kind == Photo.Kind.AFTER for kind, _u in photos):
        raise ValidationError(_("验收须上传至少一张改造后照片"))
    for kind, upload in photos:
        photo_add(project=project, by=by, kind=kind, upload=upload)
    project.items_done, project.family_satisfied = True, True
    project.signed_by, project.accepted_on = signed_by.strip(), accepted_on
    project.acceptance_note, project.completed_at = note.strip(), timezone.now()
    return _move(
        project,
        Status.COMPLETED,
        by=by,
        action=Action.ACCEPT,
        comment=project.acceptance_note,
        fields=[
            "items_done",
            "family_satisfied",
            "signed_by",
            "accepted_on",
            "acceptance_note",
            "completed_at",
        ],
    )
