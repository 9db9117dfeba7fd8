"""Spreadsheet import machinery shared by every importer (recipients, homes, retrofits, staff):
readers (xlsx/xls via python-calamine, csv in UTF-8/BOM/GB18030), header-row detection,
declarative column specs with parsers and checks, ``第N行 <列名> <原因>`` error lines, a
PostgreSQL COPY staging path and progress reporting for Celery tasks."""

from .readers import read_rows
from .report import ImportFileError, ImportReport, RowError
from .spec import Column, ImportSpec, ParsedTable, Record

__all__ = [
    "Column",
    "ImportFileError",
    "ImportReport",
    "ImportSpec",
    "ParsedTable",
    "Record",
    "RowError",
    "read_rows",
]
