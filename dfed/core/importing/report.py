"""What an import found: row errors (第N行 <列名> <原因>), warnings and counts."""

from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class RowError:
    """One rejected cell or row; ``row`` is the Excel row number (blank rows count)."""

    row: int
    order: int  # the column's position, so errors of one row keep the sheet's order
    column: str
    reason: str

    def __str__(self) -> str:
        return _("第%(row)d行 %(column)s %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


# What became of a data row: the preview's filter (新增 / 更新 / 未变化 / 有误 / 跳过).
CREATED, UPDATED, UNCHANGED, ERROR, SKIPPED = "created", "updated", "unchanged", "error", "skipped"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What the import does with one staged row, computed by the same statements as the write:
    ``outcome`` is CREATED, UPDATED or UNCHANGED; ``changes`` lists, for an update, each
    changed field as ``(field name, label, old, new)`` (display strings; identifiers in full,
    masked when shown); ``name`` and ``key`` (the ID number) say whose row it is."""

    row: int
    outcome: str
    name: str = ""
    key: str = ""
    changes: tuple = ()


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, no header row, missing columns."""


@dataclass
class ImportReport:
    filename: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, what it is)
    written: bool = False
    file_error: str = ""
    extra: dict = field(default_factory=dict)
    # One per staged row without errors; kept out of ``to_dict`` (the job stores them as rows).
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def error_lines(self) -> list[str]:
        return [str(e) for e in sorted(self.errors)]

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        text = _(
            "共%(rows)d行：新增%(created)d行，更新%(updated)d行，未变化%(unchanged)d行，"
            "有误%(rejected)d行。"
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }
        if self.skipped:
            text = text.removesuffix("。") + _("，跳过%(n)d行（不是数据）。") % {
                "n": len(self.skipped)
            }
        if self.errors:
            text += _("有错误，未写入任何数据。")
        elif self.written:
            text += _("已全部写入。")
        else:
            text += _("预览，尚未写入。")
        return text

    def skipped_lines(self) -> list[str]:
        return [
            _("第%(row)d行 已跳过：%(what)s") % {"row": row, "what": what}
            for row, what in self.skipped
        ]

    def lines(self) -> list[str]:
        """The errors sorted by row, then the warnings, the skipped rows and the summary."""
        return [*self.error_lines(), *self.warnings, *self.skipped_lines(), self.summary()]

    def row_entries(self):
        """Every row the file had, in row order, as ``(row, outcome, name, key, messages,
        changes)``, one per row: rows with errors (all their messages, ``列名 原因``), the
        staged rows' outcomes, and the skipped rows (what they are)."""
        messages: dict[int, list[str]] = {}
        for error in sorted(self.errors):
            messages.setdefault(error.row, []).append(f"{error.column} {error.reason}")
        known = {o.row: o for o in self.outcomes}
        entries = []
        for row, lines in messages.items():
            outcome = known.get(row)
            name, key = (outcome.name, outcome.key) if outcome else ("", "")
            entries.append((row, ERROR, name, key, lines, ()))
        for o in self.outcomes:
            if o.row not in messages:
                entries.append((o.row, o.outcome, o.name, o.key, [], o.changes))
        entries.extend(
            (row, SKIPPED, "", "", [what], ()) for row, what in self.skipped if row not in messages
        )
        entries.sort(key=lambda entry: entry[0])
        return entries

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "outcomes"}
        data["warnings"], data["extra"] = list(self.warnings), dict(self.extra)
        data["skipped"] = [list(s) for s in self.skipped]
        data["errors"] = [[e.row, e.order, e.column, e.reason] for e in sorted(self.errors)]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        data["errors"] = [RowError(*e) for e in data.get("errors", [])]
        data["skipped"] = [tuple(s) for s in data.get("skipped", [])]
        data.pop("outcomes", None)
        return cls(**data)
