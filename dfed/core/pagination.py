"""Pages that do not count the world: a paginator whose count stops at a cap.

A district-wide list over a province (1.5M people, 18M payments) must not run ``COUNT(*)`` over
millions of rows on every page view. :class:`CappedPaginator` counts at most ``cap + 1`` rows
(``LIST_COUNT_CAP``, default 10,000) and says 「10,000+ 条」 beyond it; pages stay reachable up to
the cap (narrow the filters to see further). On the first page a list shorter than one page is
counted from the rows themselves, so a small result costs one query, not two.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator


class CappedPaginator(Paginator):
    """A Paginator whose ``count`` is exact up to ``cap`` and ``cap + 1`` past it."""

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap if cap is not None else int(getattr(settings, "LIST_COUNT_CAP", 10_000))
        self._first_rows: list | None = None

    @cached_property
    def count(self) -> int:
        if self._first_rows is not None and len(self._first_rows) <= self.per_page:
            return len(self._first_rows)
        object_list = self.object_list
        if hasattr(object_list, "query"):  # a QuerySet: COUNT over a LIMITed subquery
            return object_list[: self.cap + 1].count()
        return min(len(object_list), self.cap + 1)

    @property
    def capped(self) -> bool:
        """True when there are more rows than the cap (the count shown is 「cap+ 条」)."""
        return self.count > self.cap

    @property
    def shown_count(self) -> int:
        return min(self.count, self.cap)

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.shown_count - self.orphans)
        return -(-hits // self.per_page)

    def page(self, number) -> Page:
        # The first page fetches one row more than it shows: if that is all there is, the count
        # comes from the rows and no COUNT query runs; otherwise the capped count does.
        first = str(number) in ("1", "") and "count" not in self.__dict__
        if first and hasattr(self.object_list, "query"):
            self._first_rows = list(self.object_list[: self.per_page + 1])
            return self._get_page(self._first_rows[: self.per_page], 1, self)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.shown_count)
        if top + self.orphans >= self.shown_count:
            top = self.shown_count
        return self._get_page(self.object_list[bottom:top], number, self)
