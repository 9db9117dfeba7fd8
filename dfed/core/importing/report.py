"""What an import found: row errors (第N行 <列名> <原因>), warnings and counts."""

from dataclasses import asdict, dataclass, field

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

    def to_dict(self) -> dict:
        data = asdict(self)
        data["errors"] = [[e.row, e.order, e.column, e.reason] for e in sorted(self.errors)]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        data["errors"] = [RowError(*e) for e in data.get("errors", [])]
        data["skipped"] = [tuple(s) for s in data.get("skipped", [])]
        return cls(**data)
