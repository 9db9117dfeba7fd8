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
    assert "示范区残疾人联合会2026年度工作总结" in text
    assert "党风廉政建设工作总结" not in text  # the whole year's work, not one duty
    headings = [
        p.text
        for p in Document(io.BytesIO(content)).paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert headings == [
        "一、残疾人基本情况",
        "二、两项补贴精准发放，兜牢困难残疾人基本生活",
        "三、残疾人之家建设提质增效",
        "四、推进无障碍环境建设",
        "五、全面从严治党，深入推进党风廉政建设",
        "（一）落实主体责任，压紧压实管党治党政治责任",
        "（二）强化廉政教育，筑牢拒腐防变思想防线",
        "（三）转变工作作风，以党风廉政建设促残疾人服务提质",
        "六、主要数据一览",
        "七、存在的不足和下一步打算",
    ]
    assert "2026年12月28日" in text
    assert "{{" not in text
    assert not re.search(r"X名|X\.X|X家|X次|X户", text)
    assert "残疾人名册 | 年末在册持证残疾人 | 6 | 人" in text


def test_summary_docx_carries_every_figure_of_the_year(known_year):
    figures = annual_figures(2026)
    text = document_text(
        build_annual_summary(figures, organisation="示范区残疾人联合会", today=date(2027, 1, 8))
    )
    for phrase in (
        "全年党组专题研究党风廉政建设工作2次",
        "层层签订党风廉政建设责任书2份",
        "签订廉洁从业承诺书3份",
        "开展半年检查和年终考核2次",
        "开展谈心谈话3人次",
        "排查岗位廉政风险点2个",
        "“三重一大”事项集体决策2项",
        "全年组织党风廉政集中学习4次",
        "在2个节日前发送廉洁过节提醒短信5条，另有1条发送失败，已逐一核实",
        "全区在册持证残疾人6人，其中重度残疾人4人",
        "为3名困难残疾人发放生活补贴0.2万元",
        "为2名重度残疾人发放护理补贴0.1万元",
        "全区建成残疾人之家2家，覆盖1个镇街道（共2个）",
        "五星级1家、四星级0家、三星级1家、二星级0家、一星级0家",
        "全年服务残疾人3人",
        "完成困难残疾人家庭无障碍改造2户",
        "支出改造资金2.0万元",
        "全年走访社区和残疾人家庭2次",
        "两项补贴 | 困难残疾人生活补贴发放金额 | 0.2 | 万元",
        "无障碍改造 | 无障碍改造预算 | 8.0 | 万元",
        "节日廉政提醒短信 | 提醒短信发送失败 | 1 | 条",
    ):
        assert phrase in text, phrase
    assert "尚未上线" not in text
    assert "{{" not in text
    assert not re.search(r"X名|X\.X|X家|X次|X户", text)


def test_summary_docx_says_so_when_a_source_is_missing(registry):
    from dfed.reports.figures import AnnualFigures, unavailable

    figures = annual_figures(2026)
    groups = [
        unavailable(g.key, g.title) if g.key in ("subsidies", "sms") else g for g in figures.groups
    ]
    text = document_text(
        build_annual_summary(AnnualFigures(2026, groups), organisation="示范区残疾人联合会")
    )
    assert "两项补贴发放情况：该模块尚未上线，本项数据暂未纳入平台统计。" in text
    assert "两项补贴 | 该模块尚未上线，本项数据暂未纳入平台统计 | — |" in text
    assert "节日廉政提醒短信情况" in text


def test_summary_parts_cover_every_figure_group_once(registry):
    from dfed.reports.figures import SOURCES, SUMMARY_PARTS

    keys = [key for part in SUMMARY_PARTS for key in part.groups]
    assert sorted(keys) == sorted(source(2026).key for source in SOURCES)
    assert SUMMARY_PARTS[-1].title == "党风廉政建设"
