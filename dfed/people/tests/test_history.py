"""History that says what changed: field-level old → new in Chinese, masked by the one rule."""

import pytest
from django.urls import reverse

from dfed.core.history import history_entries
from dfed.people.services import person_update


def test_person_history_shows_chinese_labels_and_display_values(
    client, areas, caseworker, reviewer, person_factory
):
    person = person_factory(community=areas["community_a1"])  # household 低保
    old_phone = person.phone
    person_update(person=person, by=reviewer, household="general", phone="13912345678")
    entry = history_entries(person, viewer=reviewer)[0]
    assert (entry.user, entry.reason) == (reviewer, "修改")
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["家庭类型"] == ("低保", "一般")
    assert changes["联系电话"] == (old_phone, "13912345678")
    client.force_login(caseworker)
    page = client.get(reverse("people:person-detail", args=[person.pk])).content.decode()
    assert "家庭类型：" in page
    assert "低保</span> → 一般" in page
    assert "139****5678" in page
    assert "13912345678" not in page
    assert old_phone not in page


def test_admin_history_shows_display_values(client, areas, admin_user, person_factory):
    person = person_factory(community=areas["community_a1"])
    person_update(person=person, by=admin_user, household="general")
    client.force_login(admin_user)
    page = client.get(reverse("admin:people_person_history", args=[person.pk])).content.decode()
    assert "低保" in page
    assert "一般" in page
    assert "dibao" not in page


def test_a_time_in_history_is_local_to_the_minute_not_utc_iso():
    """A DateTimeField change (an application's 提交时间) reads as the panel's own times do."""
    from datetime import UTC, date, datetime

    from dfed.core.history import field_value_display
    from dfed.people.models import Person

    field = Person._meta.get_field("updated_at")
    at = datetime(2026, 12, 7, 17, 32, 35, 89420, tzinfo=UTC)
    assert field_value_display(field, at, viewer=None) == "2026-12-08 01:32"  # Asia/Shanghai
    day = Person._meta.get_field("birth_date")
    assert field_value_display(day, date(1960, 1, 1), viewer=None) == "1960-01-01"


@pytest.fixture
def restore_language():
    """A request in English leaves English active in this thread: put the default back."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_history_reads_in_english_reason_and_punctuation_included(
    client, areas, reviewer, person_factory, restore_language
):
    """A reason is stored as its Chinese msgid and shown in the reader's language; the panel's
    brackets and colons follow the language too."""
    import re

    from dfed.core.history import save_with_history

    person = person_factory(community=areas["community_a1"])
    person.note = "改了"
    save_with_history(person, by=reviewer, reason="创建")
    client.force_login(reviewer)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("people:person-detail", args=[person.pk])).content.decode()

    panel = re.search(r'data-testid="history">(.*?)</ol>', page, re.S).group(1)
    assert "(Create)" in panel
    assert "创建" not in panel
    assert "（" not in panel
    assert "：" not in panel
    assert "Notes: " in panel or "Note: " in panel
