import pytest

from dfed.people import demo as people_demo
from homes import demo
from homes.models import Attendance, Home, Membership, ServiceRecord, StarAssessment
from homes.selectors import home_coverage


@pytest.mark.django_db
def test_demo_is_idempotent_with_a_gap_and_a_spread_of_stars(django_user_model):
    towns = people_demo.load_areas()
    people_demo.load_users(towns)
    people_demo.load_people(count=400)
    demo.load()
    counts = [m.objects.count() for m in (Home, StarAssessment, Membership, Attendance)]
    counts.append(ServiceRecord.objects.count())
    demo.load()
    again = [m.objects.count() for m in (Home, StarAssessment, Membership, Attendance)]
    assert [*again, ServiceRecord.objects.count()] == counts
    assert all(counts)
    rows, summary = home_coverage(user=django_user_model.objects.get(username="shenhe"))
    assert [t.name for t in summary["gaps"]] == ["红河镇"]
    assert summary["covered"] == 7
    assert all(summary["by_star"][level] for level in (5, 4, 3, 2))
    assert StarAssessment.objects.filter(status="submitted").exists()
