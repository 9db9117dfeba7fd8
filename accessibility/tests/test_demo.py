import pytest
from django.core.management import call_command

from accessibility.models import (
    AccessibleCommunity,
    Photo,
    ProjectStep,
    RetrofitBudget,
    RetrofitItem,
    RetrofitProject,
)


@pytest.mark.django_db
def test_demo_covers_every_status_and_is_idempotent():
    call_command("load_demo", people=400)
    counts = [m.objects.count() for m in (RetrofitProject, RetrofitItem, RetrofitBudget, Photo)]
    call_command("load_demo", people=400)
    assert [m.objects.count() for m in (RetrofitProject, RetrofitItem, RetrofitBudget, Photo)] == (
        counts
    )
    statuses = set(RetrofitProject.objects.values_list("status", flat=True))
    assert statuses == set(RetrofitProject.Status.values)
    assert set(AccessibleCommunity.objects.values_list("status", flat=True)) == {
        "passed",
        "building",
    }
    assert RetrofitProject.objects.filter(items__over_cap_reason__gt="").exists()
    assert Photo.objects.exists()
    assert not Photo.objects.filter(thumbnail="").exists()
    terminated = RetrofitProject.objects.get(status="terminated")
    assert "迁出" in terminated.closed_reason
    assert (
        ProjectStep.objects.filter(action="registry_flag", project__status="construction").count()
        == 1
    )
