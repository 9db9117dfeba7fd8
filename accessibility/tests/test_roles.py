import pytest

from dfed.accounts.roles import Role

pytestmark = pytest.mark.django_db

HANDLE = "accessibility.handle_retrofitproject"
APPROVE = "accessibility.approve_retrofitproject"
OVERRIDE = "accessibility.override_retrofitbudget"


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        (Role.CASEWORKER, [HANDLE, "accessibility.add_retrofitproject"], [APPROVE, OVERRIDE]),
        (Role.TOWN_REVIEWER, [HANDLE], [APPROVE, OVERRIDE]),
        (Role.REVIEWER, [APPROVE, OVERRIDE, "accessibility.decide_accessiblecommunity"], [HANDLE]),
        (Role.OFFICIAL, ["accessibility.view_retrofitproject"], [HANDLE, APPROVE, OVERRIDE]),
        (Role.INTEGRITY, [], ["accessibility.view_retrofitproject"]),
    ],
)
def test_role_permissions(make_user, areas, role, granted, refused):
    user = make_user("u", role)
    assert all(user.has_perm(p) for p in granted)
    assert not any(user.has_perm(p) for p in refused)
