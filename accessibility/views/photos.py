"""Photos of a retrofit project: upload and protected serving."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.translation import gettext_lazy
from django.views import View

from dfed.core.files import placeholder_image_response, protected_file_response

from .. import services
from ..forms import (
    PhotoForm,
)
from ..selectors import (
    photo_get_visible,
)
from .projects import VIEW, ProjectStepView


class PhotoUploadView(ProjectStepView):
    permission_required = "accessibility.add_photo"
    form_class = PhotoForm
    message = gettext_lazy("照片已上传")

    def perform(self, form):
        services.photo_add(
            project=self.project,
            by=self.request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
        )


class PhotoFileView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A photo, to users who may see its project (404 for everyone else).

    ``?size=thumb`` serves the thumbnail, or a small placeholder while the task has not made
    it yet: never the full original, which may be megabytes.
    """

    permission_required = VIEW

    def get(self, request, pk):
        photo = photo_get_visible(user=request.user, pk=pk)
        if request.GET.get("size") == "thumb":
            if not photo.thumbnail:
                return placeholder_image_response()
            return protected_file_response(photo.thumbnail)
        return protected_file_response(photo.file)
