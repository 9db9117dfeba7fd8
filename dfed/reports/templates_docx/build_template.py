"""Build ``annual_summary.docx``, the template the annual work summary is written into.

Run ``python -m dfed.reports.templates_docx.build_template`` after changing it and commit the
result. The template carries the page (A4, 公文 margins per GB/T 9704), the styles (仿宋 body,
小标宋 title, 黑体/楷体 headings), a page-number footer and four tokens the generator replaces:
``{{title}}``, ``{{body}}`` (where the sections go), ``{{organisation}}`` and ``{{date}}``.
"""

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEMPLATE = Path(__file__).with_name("annual_summary.docx")


def set_font(style_or_run, latin: str, east_asian: str, size: float, bold: bool = False):
    font = style_or_run.font
    font.name, font.size, font.bold = latin, Pt(size), bold
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def paragraph_style(document, name, *, base="Normal"):
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        return style


def page_number_field(paragraph):
    """Append a PAGE field: — 1 —."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    paragraph.add_run(" —")


def build(path: Path = TEMPLATE) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = document.styles["Normal"]
    set_font(normal, "Times New Roman", "仿宋_GB2312", 16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.first_line_indent = Pt(32)
    fmt.space_before = fmt.space_after = Pt(0)

    title = document.styles["Title"]
    set_font(title, "Times New Roman", "方正小标宋简体", 22)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(28)
    title.paragraph_format.line_spacing = Pt(36)
    # Word's built-in Title style draws a border and colour; a 公文 title has neither.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    title.font.color.rgb = None

    for name, east_asian in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        heading = document.styles[name]
        set_font(heading, "Times New Roman", east_asian, 16)
        heading.font.color.rgb = None
        heading.font.italic = False
        heading.paragraph_format.first_line_indent = Pt(32)
        heading.paragraph_format.space_before = heading.paragraph_format.space_after = Pt(0)
        heading.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        heading.paragraph_format.line_spacing = Pt(28)
        heading.paragraph_format.keep_with_next = True

    cell = paragraph_style(document, "Table Text")
    set_font(cell, "Times New Roman", "仿宋_GB2312", 12)
    cell.paragraph_format.first_line_indent = Pt(0)
    cell.paragraph_format.line_spacing = Pt(20)

    signature = paragraph_style(document, "Signature Line")
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.first_line_indent = Pt(0)
    signature.paragraph_format.right_indent = Pt(32)

    document.add_paragraph("{{title}}", style="Title")
    document.add_paragraph("{{body}}")
    document.add_paragraph("")
    document.add_paragraph("{{organisation}}", style="Signature Line")
    document.add_paragraph("{{date}}", style="Signature Line")

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(footer)

    core = document.core_properties
    core.author, core.title = "dfed", "党风廉政建设工作总结模板"
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())
