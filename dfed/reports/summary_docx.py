"""Write the annual work summary (年度工作总结, .docx) from the year's figures: the federation's
whole year — the register, the two allowances, 残疾人之家, retrofits — with 党风廉政建设 as one
of its parts, in the order of :data:`dfed.reports.figures.SUMMARY_PARTS` (the page's order too).

The page, styles and tokens come from ``templates_docx/annual_summary.docx`` (built by
``templates_docx/build_template.py``). Every number in the text comes from
:func:`dfed.reports.figures.annual_figures`; a source that is not available is said to be so in
words, never printed as a made-up number. Money is in 万元 with one decimal.
"""

import io
from pathlib import Path

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from .figures import SUMMARY_PARTS, AnnualFigures, FigureGroup

TEMPLATE = Path(__file__).parent / "templates_docx" / "annual_summary.docx"
CN_NUMERALS = "一二三四五六七八九十"


def amount(group: FigureGroup, key: str) -> str:
    """``12名``-style text for one figure (unit attached, 万元 with one decimal)."""
    figure = group[key]
    return f"{figure.display}{figure.unit}"


def has(group: FigureGroup, *keys: str) -> bool:
    keys_present = {f.key for f in group.figures}
    return group.available and all(k in keys_present for k in keys)


def responsibility(figures: AnnualFigures) -> list[str]:
    g = figures["integrity"]
    if not g.available:
        return [f"全年党风廉政建设责任落实情况：{g.message}。"]
    text = [
        f"区残联党组坚持把党风廉政建设作为全局性工作来抓，年初召开专题会议研究部署，"
        f"全年党组专题研究党风廉政建设工作{amount(g, 'topic_studies')}。"
        f"层层签订党风廉政建设责任书{amount(g, 'letters')}，"
        f"全体干部职工签订廉洁从业承诺书{amount(g, 'commitments')}，"
        f"形成主要领导负总责、分管领导“一岗双责”、科室负责人具体抓的责任体系。"
    ]
    parts = []
    if has(g, "inspections"):
        parts.append(f"开展半年检查和年终考核{amount(g, 'inspections')}")
    if has(g, "talks"):
        parts.append(f"开展谈心谈话{amount(g, 'talks')}")
    if has(g, "risk_points"):
        parts.append(f"排查岗位廉政风险点{amount(g, 'risk_points')}并逐一制定防控措施")
    if has(g, "major_decisions"):
        parts.append(f"“三重一大”事项集体决策{amount(g, 'major_decisions')}")
    if parts:
        text.append("，".join(parts) + "，确保权力在阳光下运行。")
    return text


def education(figures: AnnualFigures) -> list[str]:
    g, sms = figures["integrity"], figures["sms"]
    text = []
    if g.available:
        text.append(
            f"坚持理论学习制度，全年组织党风廉政集中学习{amount(g, 'study_sessions')}，"
            f"深入学习党章党规党纪和典型案例通报，教育引导党员干部知敬畏、存戒惧、守底线。"
        )
    else:
        text.append(f"集中学习情况：{g.message}。")
    if sms.available:
        failed = (
            f"另有{amount(sms, 'failed')}发送失败，已逐一核实"
            if sms.value("failed")
            else "全部发送成功"
        )
        text.append(
            f"紧盯元旦、春节、清明、五一、端午、中秋、国庆等重要节点，"
            f"在{amount(sms, 'festivals')}节日前发送廉洁过节提醒短信{amount(sms, 'sent')}，"
            f"{failed}，持续释放越往后越严的信号。"
        )
    else:
        text.append(f"节日廉政提醒短信情况：{sms.message}。")
    return text


def people(figures: AnnualFigures) -> list[str]:
    registry = figures["registry"]
    if not registry.available:
        return [f"残疾人基本情况：{registry.message}。"]
    return [
        f"截至年末，全区在册持证残疾人{amount(registry, 'people')}，"
        f"其中重度残疾人{amount(registry, 'severe')}；"
        f"本年新增登记{amount(registry, 'new')}。残疾人基础信息实行动态管理，"
        f"为各项服务精准到人提供依据。"
    ]


def subsidies(figures: AnnualFigures) -> list[str]:
    sub = figures["subsidies"]
    if not sub.available:
        return [f"两项补贴发放情况：{sub.message}。"]
    text = [
        f"两项补贴精准发放：为{amount(sub, 'living_people')}困难残疾人发放生活补贴"
        f"{amount(sub, 'living_wan')}，为{amount(sub, 'care_people')}重度残疾人发放护理补贴"
        f"{amount(sub, 'care_wan')}，资金按月通过银行直接发放到人，做到应补尽补、不漏不错。"
    ]
    if has(sub, "findings_stop", "findings_start"):
        text.append(
            f"精准管理、主动发现：通过与民政、公安、殡葬、户籍、残联证件和司法数据比对，"
            f"全年发现应停发{amount(sub, 'findings_stop')}、信息不一致"
            f"{amount(sub, 'findings_correct')}，已处理{amount(sub, 'findings_acted')}，"
            f"从名单导入到处理平均{amount(sub, 'findings_days')}；停发后每月不再发放"
            f"{amount(sub, 'stopped_yuan')}，追回多发资金{amount(sub, 'recovered_wan')}；"
            f"主动发现符合条件未享受补贴{amount(sub, 'findings_start')}，"
            f"已上门或短信邀请并建立申请{amount(sub, 'reached')}，变“人找政策”为“政策找人”。"
        )
    return text


def homes(figures: AnnualFigures) -> list[str]:
    homes = figures["homes"]
    if not homes.available:
        return [f"残疾人之家情况：{homes.message}。"]
    stars = "、".join(
        f"{label}{amount(homes, key)}"
        for key, label in (
            ("star5", "五星级"),
            ("star4", "四星级"),
            ("star3", "三星级"),
            ("star2", "二星级"),
            ("star1", "一星级"),
        )
        if has(homes, key)
    )
    covered = homes.value("towns_covered")
    total = homes.value("towns_total")
    coverage = (
        f"实现{total}个镇街道全覆盖"
        if covered == total and total
        else f"覆盖{covered}个镇街道（共{total}个）"
    )
    return [
        f"残疾人之家建设提质增效：全区建成残疾人之家{amount(homes, 'homes')}，{coverage}，"
        f"其中{stars}；全年服务残疾人{amount(homes, 'served')}，"
        f"在册成员{amount(homes, 'members')}。"
    ]


def accessibility(figures: AnnualFigures) -> list[str]:
    acc = figures["accessibility"]
    if not acc.available:
        return [f"无障碍改造情况：{acc.message}。"]
    return [
        f"无障碍改造扎实推进：完成困难残疾人家庭无障碍改造{amount(acc, 'households')}，"
        f"支出改造资金{amount(acc, 'spend_wan')}。"
    ]


def conduct(figures: AnnualFigures) -> list[str]:
    text = ["坚持以党风廉政建设促进作风转变，把为残疾人办实事作为检验作风建设成效的标尺。"]
    g = figures["integrity"]
    if has(g, "service_visits"):
        text.append(
            f"深化“三服务”活动，全年走访社区和残疾人家庭{amount(g, 'service_visits')}，"
            f"现场解决急难愁盼问题，以实际成效取信于民。"
        )
    return text


def integrity(figures: AnnualFigures) -> list[tuple[str, list[str]]]:
    return [
        ("落实主体责任，压紧压实管党治党政治责任", responsibility(figures)),
        ("强化廉政教育，筑牢拒腐防变思想防线", education(figures)),
        ("转变工作作风，以党风廉政建设促残疾人服务提质", conduct(figures)),
    ]


# Each part of SUMMARY_PARTS: its heading in the document and its writer, which returns the
# part's paragraphs or, for 党风廉政建设, its sub-parts as (heading, paragraphs).
PART_WRITERS = {
    "people": ("残疾人基本情况", people),
    "subsidies": ("两项补贴精准发放，兜牢困难残疾人基本生活", subsidies),
    "homes": ("残疾人之家建设提质增效", homes),
    "accessibility": ("推进无障碍环境建设", accessibility),
    "integrity": ("全面从严治党，深入推进党风廉政建设", integrity),
}
SUB_NUMERALS = "（一）", "（二）", "（三）", "（四）", "（五）"


SHORTCOMINGS = [
    "一年来，我会各项工作取得了一定成效，但也存在一些不足：残疾人服务的精准度和覆盖面还需"
    "提高，基层经办环节的监督还需延伸，廉政教育的针对性还需增强，运用信息化手段开展管理和"
    "监督的能力还需提升。",
    "下一步，区残联将继续围绕残疾人“两项补贴”、残疾人之家和无障碍改造等民生项目，推动"
    "服务提质扩面；党组将继续扛起管党治党主体责任，深化廉政风险防控，推动各项工作在阳光下"
    "运行，为残疾人事业高质量发展提供坚强保障。",
]


def figure_rows(figures: AnnualFigures) -> list[tuple[str, str, str, str]]:
    """(板块, 项目, 数值, 单位) for every available figure; one row per missing source."""
    rows = []
    for group in figures.groups:
        if not group.available:
            rows.append((str(group.title), str(group.message), "—", ""))
            continue
        for figure in group.figures:
            rows.append((str(group.title), str(figure.label), figure.display, str(figure.unit)))
    return rows


def _replace_token(paragraph, token: str, text: str) -> None:
    for run in paragraph.runs:
        if token in run.text:
            run.text = run.text.replace(token, text)


def build_annual_summary(figures: AnnualFigures, *, organisation: str, today=None) -> bytes:
    """The year's summary as .docx bytes."""
    today = today or timezone.localdate()
    document = Document(TEMPLATE)
    anchor = next(p for p in document.paragraphs if "{{body}}" in p.text)

    def para(text: str, style: str | None = None):
        return anchor.insert_paragraph_before(text, style=style)

    para(
        f"{figures.year}年，{organisation}在区委、区政府的坚强领导下，以残疾人需求为导向，"
        f"扎实做好残疾人基本情况掌握、两项补贴发放、残疾人之家建设和无障碍改造等工作；党组深入"
        f"贯彻全面从严治党要求，把党风廉政建设与残疾人事业发展同部署、同落实、同检查。"
        f"现将全年工作总结如下："
    )
    number = -1
    for part in SUMMARY_PARTS:
        heading, write = PART_WRITERS[part.key]
        number += 1
        para(f"{CN_NUMERALS[number]}、{heading}", style="Heading 1")
        written = write(figures)
        if written and isinstance(written[0], tuple):  # a part with sub-parts
            for sub, (sub_heading, paragraphs) in enumerate(written):
                para(f"{SUB_NUMERALS[sub]}{sub_heading}", style="Heading 2")
                for text in paragraphs:
                    para(text)
        else:
            for text in written:
                para(text)

    number += 1
    para(f"{CN_NUMERALS[number]}、主要数据一览", style="Heading 1")
    rows = figure_rows(figures)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("板块", "项目", "数值", "单位"), strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        cell.paragraphs[0].style = "Table Text"
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.text = text
            paragraph.style = "Table Text"
            if i == 2:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    anchor._p.addprevious(table._tbl)
    para("注：金额单位为万元，保留一位小数；数据取自业务平台，统计期间为当年1月1日至12月31日。")

    number += 1
    para(f"{CN_NUMERALS[number]}、存在的不足和下一步打算", style="Heading 1")
    for text in SHORTCOMINGS:
        para(text)

    anchor._p.getparent().remove(anchor._p)
    for paragraph in document.paragraphs:
        _replace_token(paragraph, "{{title}}", f"{organisation}{figures.year}年度工作总结")
        _replace_token(paragraph, "{{organisation}}", organisation)
        _replace_token(paragraph, "{{date}}", f"{today.year}年{today.month}月{today.day}日")
    document.core_properties.title = f"{figures.year}年度工作总结"
    document.core_properties.author = organisation
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
