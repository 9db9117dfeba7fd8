"""Celery tasks of accessibility: take ids, call a service."""

from celery import shared_task

from . import services
from .models import Photo


@shared_task(
    name="accessibility.photo_thumbnail_make",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def photo_thumbnail_make_task(photo_id: int) -> bool:
    """Make the thumbnail of photo ``photo_id``; False when the photo or its file is gone."""
    photo = Photo.objects.filter(pk=photo_id).first()
    return photo is not None and services.photo_thumbnail_refresh(photo=photo)
