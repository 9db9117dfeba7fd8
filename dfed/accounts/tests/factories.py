from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "Test@2026pass"


def user_with_role(username: str, role: str, *, towns=(), **extra):
    """A user in one role group (the groups and their permissions exist after migrate)."""
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, display_name=username, **extra
    )
    user.groups.add(Group.objects.get(name=role))
    if towns:
        user.towns.set(towns)
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache
