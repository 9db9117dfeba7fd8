"""Reads of star assessments and their yearly templates."""

from decimal import Decimal

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from dfed.core.scoping import scope_to_towns

from ..models import (
    StarAssessment,
    StarAssessmentTemplate,
)

# --- Assessments ----------------------------------------------------------------------------


def assessment_list_visible_to(user) -> QuerySet[StarAssessment]:
    queryset = StarAssessment.objects.select_related(
        "home", "home__town", "created_by", "submitted_by", "decided_by", "template"
    )
    return scope_to_towns(queryset, user, field="home__town")


def assessment_get_visible(*, user, pk) -> StarAssessment:
    return get_object_or_404(assessment_list_visible_to(user), pk=pk)


def assessment_scores_by_section(*, assessment: StarAssessment):
    """[(section label, [ItemScore, …], section max, section score)] in sheet order."""
    from ..models import TemplateItem

    lines = list(assessment.scores.select_related("item").order_by("item__order", "item_id"))
    sections: dict[str, list] = {}
    for line in lines:
        sections.setdefault(line.item.section, []).append(line)
    out = []
    for value, label in TemplateItem.Section.choices:
        if value in sections:
            group = sections[value]
            out.append(
                (
                    label,
                    group,
                    sum((g.item.max_points for g in group), Decimal("0")),
                    sum((g.score or Decimal("0") for g in group), Decimal("0")),
                )
            )
    return out


def assessment_star_counts(*, user, year: int) -> dict[int, int]:
    """Approved assessments of a year by star level (5 → 1), for reports."""
    counts = dict.fromkeys((5, 4, 3, 2, 1), 0)
    rows = (
        assessment_list_visible_to(user)
        .filter(year=year, status=StarAssessment.Status.APPROVED)
        .values("star_level")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["star_level"]] = row["n"]
    return counts


def template_list() -> QuerySet[StarAssessmentTemplate]:
    return StarAssessmentTemplate.objects.annotate(item_count=Count("items"))


def template_get(*, pk) -> StarAssessmentTemplate:
    return get_object_or_404(StarAssessmentTemplate, pk=pk)
