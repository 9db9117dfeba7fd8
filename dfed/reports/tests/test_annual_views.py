import io
import re

from django.urls import reverse
from docx import Document

from dfed.reports.models import AnnualSummary


def test_official_sees_the_figures_with_links_to_their_lists(client, registry, official):
    client.force_login(official)
    response = client.get(reverse("reports:annual", args=[2026]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="registry.people"' in html
    assert '<a href="/people/">6</a>' in html
    assert "生成年度工作总结" in html
    assert '<h1 class="h3 mb-0">2026年度工作总结</h1>' in html  # the whole year's work
    parts = re.findall(r'data-part="([a-z]+)"', html)
    assert parts == ["people", "subsidies", "homes", "accessibility", "integrity"]


def test_annual_page_is_complete_in_english(client, registry, official):
    client.force_login(official)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    assert "2026 annual work report</h1>" in html
    assert "5. Party conduct and integrity</h2>" in html
    assert "whole year of work: the people on the register" in html


def test_caseworker_may_not_see_or_generate_the_summary(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("reports:annual", args=[2026])).status_code == 403
    assert client.post(reverse("reports:annual-generate", args=[2026])).status_code == 403
    assert not AnnualSummary.objects.exists()


def test_reviewer_sees_figures_but_cannot_generate(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("reports:annual", args=[2026]))
    assert response.status_code == 200
    assert "生成年度工作总结" not in response.content.decode()
    assert client.post(reverse("reports:annual-generate", args=[2026])).status_code == 403


def test_generate_runs_the_task_reports_progress_and_downloads(
    client, registry, official, django_capture_on_commit_callbacks
):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:annual-generate", args=[2026]))
    summary = AnnualSummary.objects.get()
    assert response.url == reverse("reports:annual-progress", args=[summary.pk])
    assert summary.status == AnnualSummary.Status.DONE
    assert summary.requested_by == official
    assert summary.figures["year"] == 2026

    progress = client.get(response.url, {"format": "json"}).json()
    download = reverse("reports:annual-download", args=[summary.pk])
    assert (progress["state"], progress["percent"], progress["redirect"]) == ("done", 100, download)
    # The finished run says what it wrote: parts, figures and the year's two headline totals.
    assert progress["message"].startswith("2026年度工作总结已生成：6个部分，共")
    assert "年末在册残疾人6人" in progress["message"]
    assert "两项补贴发放" in progress["message"]
    page = client.get(response.url).content.decode()
    assert f'data-progress-url="{response.url}?format=json"' in page

    file = client.get(download)
    assert file.status_code == 200
    assert "attachment" in file["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(file.streaming_content)))
    assert document.paragraphs[0].text == "示范区残疾人联合会2026年度工作总结"


def test_progress_falls_back_to_the_row_when_the_cache_forgot(client, official):
    from django.core.cache import cache

    from dfed.core.progress import progress_key

    summary = AnnualSummary.objects.create(year=2026, requested_by=official)
    cache.delete(progress_key("reports.annual", summary.pk))
    client.force_login(official)
    url = reverse("reports:annual-progress", args=[summary.pk])
    assert client.get(url, {"format": "json"}).json()["state"] == "pending"


def test_annual_index_redirects_to_the_chosen_year(client, official):
    client.force_login(official)
    response = client.get(reverse("reports:annual-index"), {"year": "2025"})
    assert response.url == reverse("reports:annual", args=[2025])
    assert client.get(reverse("reports:annual", args=[1999])).status_code == 404


def test_figures_link_only_to_lists_the_user_may_open(
    client, registry, reviewer, integrity_officer
):
    client.force_login(integrity_officer)
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    assert 'data-figure="registry.people"' in html
    assert '<a href="/people/">' not in html
    assert 'href="/people/?' not in html
    assert 'href="/subsidies/' not in html
    assert 'href="/integrity/campaigns/' in html

    client.force_login(reviewer)
    html = client.get(reverse("reports:annual", args=[2026])).content.decode()
    assert '<a href="/people/">6</a>' in html
    assert 'href="/integrity/campaigns/' not in html
    assert 'href="/integrity/letters/' not in html
