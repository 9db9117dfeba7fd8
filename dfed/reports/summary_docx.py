"""Write the annual 党风廉政建设 work summary (.docx) from the year's figures.

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

from .figures import AnnualFigures, FigureGroup

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


def service(figures: AnnualFigures) -> list[str]:
    text = ["坚持以党风廉政建设促进作风转变，把为残疾人办实事作为检验作风建设成效的标尺。"]
    registry = figures["registry"]
    if registry.available:
        text[0] += (
            f"截至年末，全区在册持证残疾人{amount(registry, 'people')}，"
            f"其中重度残疾人{amount(registry, 'severe')}。"
        )
    sub = figures["subsidies"]
    if sub.available:
        text.append(
            f"两项补贴精准发放：为{amount(sub, 'living_people')}困难残疾人发放生活补贴"
            f"{amount(sub, 'living_wan')}，为{amount(sub, 'care_people')}重度残疾人发放护理补贴"
            f"{amount(sub, 'care_wan')}，资金按月通过银行直接发放到人，做到应补尽补、不漏不错。"
        )
    else:
        text.append(f"两项补贴发放情况：{sub.message}。")
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
    homes = figures["homes"]
    if homes.available:
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
        text.append(
            f"残疾人之家建设提质增效：全区建成残疾人之家{amount(homes, 'homes')}，{coverage}，"
            f"其中{stars}；全年服务残疾人{amount(homes, 'served')}，"
            f"在册成员{amount(homes, 'members')}。"
        )
    else:
        text.append(f"残疾人之家情况：{homes.message}。")
    acc = figures["accessibility"]
    if acc.available:
        text.append(
            f"无障碍改造扎实推进：完成困难残疾人家庭无障碍改造{amount(acc, 'households')}，"
            f"支出改造资金{amount(acc, 'spend_wan')}。"
        )
    else:
        text.append(f"无障碍改造情况：{acc.message}。")
    g = figures["integrity"]
    if has(g, "service_visits"):
        text.append(
            f"深化“三服务”活动，全年走访社区和残疾人家庭{amount(g, 'service_visits')}，"
            f"现场解决急难愁盼问题，以实际成效取信于民。"
        )
    return text


SHORTCOMINGS = [
    "一年来，我会党风廉政建设取得了一定成效，但也存在一些不足：廉政教育的针对性还需增强，"
    "基层经办环节的监督还需延伸，运用信息化手段开展监督的能力还需提升。",
    "下一步，区残联党组将继续扛起管党治党主体责任，深化廉政风险防控，推动补贴发放、"
    "残疾人之家和无障碍改造等民生项目在阳光下运行，为残疾人事业高质量发展提供坚强保障。",
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
        f"{figures.year}年，{organisation}党组在区委、区纪委监委的坚强领导下，深入贯彻全面从严治党"
        f"要求，认真落实党风廉政建设主体责任，把党风廉政建设与残疾人事业发展同部署、同落实、"
        f"同检查。现将全年工作总结如下："
    )
    sections = [
        ("落实主体责任，压紧压实管党治党政治责任", responsibility(figures)),
        ("强化廉政教育，筑牢拒腐防变思想防线", education(figures)),
        ("转变工作作风，以党风廉政建设促残疾人服务提质", service(figures)),
    ]
    number = 0
    for number, (heading, paragraphs) in enumerate(sections):
        para(f"{CN_NUMERALS[number]}、{heading}", style="Heading 1")
        for text in paragraphs:
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
        _replace_token(
            paragraph, "{{title}}", f"{organisation}{figures.year}年度党风廉政建设工作总结"
        )
        _replace_token(paragraph, "{{organisation}}", organisation)
        _replace_token(paragraph, "{{date}}", f"{today.year}年{today.month}月{today.day}日")
    document.core_properties.title = f"{figures.year}年度党风廉政建设工作总结"
    document.core_properties.author = organisation
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
