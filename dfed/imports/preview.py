"""The preview's rows as a page shows them: paged, filtered by outcome, identifiers masked
for viewers without ``people.view_sensitive`` (and full views recorded for those with it)."""

from django.core.paginator import Paginator

from dfed.core.masking import (
    SENSITIVE_FIELDS,
    Sensitive,
    can_view_sensitive,
    full_view_record,
    reveal,
)

from .models import ImportJob, ImportRow
from .selectors import import_row_counts, import_row_list

ROWS_PER_PAGE = 50


def preview_rows(request, *, job: ImportJob) -> dict | None:
    """Context for ``imports/_rows.html``: ``rows_page`` (a page of dicts: row, outcome, its
    label, name, key, messages, changes as (label, old, new)), ``outcome`` (the filter),
    ``outcomes`` ((value, label, count) for the filter's links). None when the job stored no
    rows (a job from before rows were stored, or an importer that reports none)."""
    counts = import_row_counts(job=job)
    if not any(counts.values()):
        return None
    outcome = request.GET.get("outcome") or ""
    if outcome not in ImportRow.Outcome.values:
        outcome = ""
    page = Paginator(import_row_list(job=job, outcome=outcome or None), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    viewer = request.user
    labels = dict(ImportRow.Outcome.choices)
    rows = []
    for record in page.object_list:
        rows.append(
            {
                "row": record.row,
                "outcome": record.outcome,
                "outcome_label": labels.get(record.outcome, record.outcome),
                "name": record.name,
                "key": _reveal(record.key, Sensitive.ID, viewer),
                "messages": record.messages,
                "changes": [
                    (
                        label,
                        _reveal(old, SENSITIVE_FIELDS.get(field), viewer),
                        _reveal(new, SENSITIVE_FIELDS.get(field), viewer),
                    )
                    for field, label, old, new in record.changes
                ],
            }
        )
    page.object_list = rows
    if can_view_sensitive(viewer) and rows:
        full_view_record(request, kind="list", query=f"job={job.pk}", count=len(rows))
    total = sum(counts.values())
    outcomes = [("", None, total)] + [
        (value, label, counts[value]) for value, label in ImportRow.Outcome.choices
    ]
    return {"rows_page": page, "outcome": outcome, "outcomes": outcomes}


def _reveal(value: str, kind, viewer) -> str:
    if not kind or not value:
        return value
    return reveal(value, kind=kind, viewer=viewer)
