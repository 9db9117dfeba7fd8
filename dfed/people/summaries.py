"""The registry's summary table (``PersonCount``): rebuilt per town, never edited by hand.

Every write path keeps it current: a saved or deleted person rebuilds their town (and the town
they left) in the same transaction through the model signals below; bulk writes that bypass the
ORM's save (imports, set-based SQL) call :func:`person_counts_refresh` with the towns they
touched; the nightly task rebuilds every town. Rebuilding one town groups that town's people
only (about 15,000 in a province-sized deployment): a few milliseconds.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Min
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Person, PersonCount, PersonYearCount
from .selectors import person_year_counts_compute


@transaction.atomic
def person_counts_refresh(*, town_ids: Iterable[int] | None = None) -> int:
    """Rebuild the summary rows of ``town_ids`` (every town when None); returns rows written."""
    people = Person.objects.all()
    counts = PersonCount.objects.all()
    if town_ids is not None:
        town_ids = sorted({int(t) for t in town_ids if t is not None})
        if not town_ids:
            return 0
        people = people.filter(town_id__in=town_ids)
        counts = counts.filter(town_id__in=town_ids)
    rows = (
        people.order_by()
        .values("town_id", "category", "level", "status")
        .annotate(people=Count("pk"))
    )
    counts.delete()
    written = PersonCount.objects.bulk_create(PersonCount(**row) for row in rows)
    return len(written)


@transaction.atomic
def person_year_counts_refresh(*, years: Iterable[int] | None = None) -> int:
    """Rebuild ``PersonYearCount`` for ``years`` (every year from the first registration to this
    one when None); returns the rows written. One scan of the registry per year."""
    if years is None:
        first = Person.objects.aggregate(first=Min("created_at"))["first"]
        this_year = timezone.localdate().year
        first_year = timezone.localtime(first).year if first else this_year
        years = range(first_year, this_year + 1)
    now = timezone.now()
    written = 0
    for year in sorted(set(years)):
        PersonYearCount.objects.update_or_create(
            year=year, defaults={**person_year_counts_compute(year), "refreshed_at": now}
        )
        written += 1
    return written


@receiver(pre_save, sender=Person, dispatch_uid="dfed-person-count-old-town")
def _remember_old_town(sender, instance: Person, raw=False, **kwargs) -> None:
    instance._counted_town_id = None
    if instance.pk and not raw:
        instance._counted_town_id = (
            Person.objects.filter(pk=instance.pk).values_list("town_id", flat=True).first()
        )


@receiver(post_save, sender=Person, dispatch_uid="dfed-person-count-save")
def _recount_after_save(sender, instance: Person, raw=False, **kwargs) -> None:
    if not raw:
        person_counts_refresh(
            town_ids=[instance.town_id, getattr(instance, "_counted_town_id", None)]
        )


@receiver(post_delete, sender=Person, dispatch_uid="dfed-person-count-delete")
def _recount_after_delete(sender, instance: Person, **kwargs) -> None:
    person_counts_refresh(town_ids=[instance.town_id])
