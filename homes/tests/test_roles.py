import pytest
from django.contrib.auth.models import Permission

from homes.roles import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db


def test_every_role_permission_exists():
    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label="homes")
    }
    assert wanted <= existing


def test_roles_reach_the_groups(caseworker, reviewer, official):
    assert caseworker.has_perm("homes.add_attendance")
    assert not caseworker.has_perm("homes.approve_starassessment")
    assert reviewer.has_perm("homes.approve_starassessment")
    assert official.has_perm("homes.view_home")
    assert not official.has_perm("homes.change_home")
