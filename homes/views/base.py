"""Shared bits of the homes views."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin


class Perm(LoginRequiredMixin, PermissionRequiredMixin):
    pass
