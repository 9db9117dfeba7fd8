import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_edits_the_yearly_standard(client, admin_user, template):
    client.force_login(admin_user)
    assert client.get(reverse("admin:homes_starassessmenttemplate_changelist")).status_code == 200
    page = client.get(reverse("admin:homes_starassessmenttemplate_change", args=[template.pk]))
    assert page.status_code == 200
    assert "消防验收" in page.content.decode()


def test_reviewer_reads_but_cannot_edit_the_standard(client, reviewer, template):
    client.force_login(reviewer)
    page = client.get(reverse("homes:template-detail", args=[template.pk])).content.decode()
    assert "消防验收" in page
    assert reverse("admin:homes_starassessmenttemplate_change", args=[template.pk]) not in page
