import io
import re
from datetime import date

from docx import Document

from dfed.reports.figures import annual_figures
from dfed.reports.summary_docx import build_annual_summary


def document_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_summary_docx_opens_and_has_title_sections_and_no_placeholder(registry):
    figures = annual_figures(2026)
    content = build_annual_summary(
        figures, organisation="示范区残疾人联合会", today=date(2026, 12, 28)
    )
    text = document_text(content)
    assert "示范区残疾人联合会2026年度党风廉政建设工作总结" in text
    for heading in ("一、落实主体责任", "二、强化廉政教育", "三、转变工作作风", "四、主要数据一览"):
        assert heading in text
    assert "2026年12月28日" in text
    assert "{{" not in text
    assert not re.search(r"X名|X\.X|X家|X次|X户", text)
    assert "残疾人名册 | 年末在册持证残疾人 | 6 | 人" in text
