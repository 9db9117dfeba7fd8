"""Uploaded files, the one way for every model that owns a file: where it is stored
(``UploadTo``: a per-model prefix and a random name), type and size checks by content
(``validate_upload``), and permission-checked downloads streamed through the storage API
(``protected_file_response``, after the caller's scoped read), and the placeholder served for
a thumbnail not made yet (``placeholder_image_response``)."""

import mimetypes
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@deconstructible
class UploadTo:
    """``upload_to`` for a private file: ``<prefix>/<YYYY>/<MM>/<32 hex digits>.<ext>``.

    The name says nothing of the person or record (the record keeps the original name when the
    page needs it) and cannot be guessed; the extension is kept, lower-cased.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
        return f"{self.prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext[:10]}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def validate_upload(
    upload, *, allowed=("application/pdf", "image/jpeg", "image/png"), max_bytes: int | None = None
) -> str:
    """Check an upload's extension, size and magic bytes; return its content type."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = (upload.name or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    content_type = EXTENSIONS.get(ext)
    allowed_exts = "、".join(
        sorted({e.lstrip(".").upper() for e, t in EXTENSIONS.items() if t in allowed})
    )
    if content_type not in allowed:
        raise ValidationError(
            _("只能上传 %(types)s 文件") % {"types": allowed_exts}, code="file_type"
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件不能超过 %(mb)s MB") % {"mb": round(max_bytes / 1024 / 1024, 1)},
            code="file_size",
        )
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[content_type]):
        raise ValidationError(
            _("文件内容与扩展名不符，请上传真实的 %(types)s 文件") % {"types": allowed_exts},
            code="file_content",
        )
    return content_type


def protected_file_response(field_file, *, download_name: str | None = None) -> FileResponse:
    """Stream a private file; the caller has already checked the user may see it."""
    name = download_name or field_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(field_file.open("rb"), filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# A grey frame with a picture outline, the size of a thumbnail: what ``?size=thumb`` serves
# while the thumbnail is still being made, never the full original.
PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">'
    '<rect width="320" height="240" fill="#e9ecef"/>'
    '<circle cx="200" cy="90" r="16" fill="#adb5bd"/>'
    '<path d="M100 170l40-50 30 36 20-24 30 38z" fill="#adb5bd"/>'
    "</svg>"
)


def placeholder_image_response() -> HttpResponse:
    """A small placeholder image (SVG, under 400 bytes) for a thumbnail not made yet; not
    cached, so the browser asks again and gets the thumbnail once it exists."""
    response = HttpResponse(PLACEHOLDER_SVG, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
