"""Shared bits of the homes views."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError


class Perm(LoginRequiredMixin, PermissionRequiredMixin):
    pass


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)
