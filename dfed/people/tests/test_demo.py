import pytest
from django.core.management import CommandError, call_command

from dfed.people.models import Area, Person


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo", people=200)
    counts = (Area.objects.count(), Person.objects.count())
    call_command("load_demo", people=200)
    assert (Area.objects.count(), Person.objects.count()) == counts
    assert Area.objects.filter(level="town").count() == 8
    assert Area.objects.filter(level="community").count() == 32
    assert counts[1] == 200


@pytest.mark.django_db
def test_load_demo_refuses_production(settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="不允许"):
        call_command("load_demo")


@pytest.mark.django_db
def test_demo_users_have_a_phone_for_test_sms():
    from django.contrib.auth import get_user_model

    from dfed.people.demo import load_areas, load_users

    load_users(load_areas())
    User = get_user_model()
    assert User.objects.get(username="jijian").phone == "13900000006"
    User.objects.filter(username="jijian").update(phone="13911112222")
    load_users(load_areas())
    assert User.objects.get(username="jijian").phone == "13911112222"
    assert not User.objects.filter(phone="").exists()
