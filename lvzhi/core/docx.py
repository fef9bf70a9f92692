"""A small Word (.docx) helper every capability reuses, built on python-docx: an A4 document in the layout
of official documents (GB/T 9704: margins 37/35/28/26 mm, body in 仿宋 三号, titles in 宋体 bold), Chinese
fonts set where Word reads them (w:eastAsia), form-like tables, a table-of-contents field, page numbers,
and the download response.

    doc = document()
    title(doc, "提　案")
    form_table(doc, [("案由", proposal.title), ("提案人", "朱政", "界别", "科技界")])
    return docx_response("提案.docx", doc)

Word fills a TOC field when the file is opened (or on F9); `toc()` adds the field, and callers that want a
table of contents that reads right everywhere also write the list of titles themselves.
"""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(14)  # 四号: forms and compiled volumes; letters use 三号 (16 pt)
TITLE_SIZE = Pt(22)  # 二号
BLACK = RGBColor(0, 0, 0)
TITLE_SPACE = Pt(12)
LABEL_WIDTH = Mm(28)


def set_font(target, name: str, size=None, *, bold: bool | None = None) -> None:
    """Set a run's or a style's font for Latin and East-Asian text (Word reads Chinese from w:eastAsia)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = target.element if hasattr(target, "element") else target._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def document() -> Document:
    """An empty A4 portrait document with the official margins and Chinese default fonts."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.space_after = Pt(0)
    for level, size in ((1, Pt(16)), (2, Pt(14))):
        style = doc.styles[f"Heading {level}"]
        set_font(style, HEADING_FONT, size, bold=False)
        style.font.color.rgb = BLACK
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    page_numbers(section)
    return doc


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC…) in a paragraph; Word computes its result when it updates fields."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    if placeholder:
        paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def page_numbers(section) -> None:
    """ "— 1 —" centred in the footer, as official documents number their pages."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        set_font(run, "宋体", Pt(12))


def update_fields_on_open(doc) -> None:
    """Ask Word to update the fields (the table of contents) when the file is opened."""
    settings = doc.settings.element
    flag = settings.find(qn("w:updateFields"))
    if flag is None:
        flag = OxmlElement("w:updateFields")
        settings.append(flag)
    flag.set(qn("w:val"), "true")


def toc(doc, *, levels: str = "1-1", placeholder: str = "") -> None:
    """A table-of-contents field over the headings of `levels`; Word fills it on open."""
    _field(doc.add_paragraph(), f'TOC \\o "{levels}" \\h \\z \\u', placeholder)
    update_fields_on_open(doc)


def title(doc, text: str, *, size=TITLE_SIZE, font: str = TITLE_FONT, space_after=TITLE_SPACE):
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = space_after
    set_font(paragraph.add_run(text), font, size, bold=True)
    return paragraph


def heading(doc, text: str, level: int = 1):
    """A heading (Word's Heading style, so the table of contents lists it)."""
    paragraph = doc.add_heading(level=level)
    set_font(paragraph.add_run(text), HEADING_FONT, None)
    return paragraph


def para(doc_or_cell, text: str = "", *, bold: bool = False, indent: bool = False, align=None, size=None):
    """A paragraph of body text; `indent` indents the first line by two characters."""
    paragraph = doc_or_cell.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * (size.pt if size else BODY_SIZE.pt))
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if text:
        set_font(paragraph.add_run(text), BODY_FONT, size, bold=bold)
    return paragraph


def paras(doc_or_cell, text: str, **kwargs) -> None:
    """Each line of `text` as its own indented paragraph."""
    for line in (text or "").splitlines():
        if line.strip():
            para(doc_or_cell, line.strip(), indent=True, **kwargs)


def cell_text(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    cell.text = ""
    lines = str(text or "").splitlines() or [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(paragraph.add_run(line), BODY_FONT, BODY_SIZE, bold=bold)


def form_table(doc, rows, *, label_width=LABEL_WIDTH):
    """A bordered form: each row is (label, value) or (label, value, label, value). Labels are bold and
    centred; a two-cell row's value spans the remaining columns. Returns the table."""
    table = doc.add_table(rows=0, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = Mm(210 - 28 - 26)
    value_width = int((usable - 2 * label_width) / 2)
    widths = [label_width, value_width, label_width, value_width]
    for row in rows:
        cells = table.add_row().cells
        for i, w in enumerate(widths):
            cells[i].width = w
        if len(row) == 2:
            merged = cells[1].merge(cells[3])
            cell_text(cells[0], row[0], bold=True, center=True)
            cell_text(merged, row[1])
        else:
            for i, text in enumerate(row[:4]):
                cell_text(cells[i], text, bold=i % 2 == 0, center=i % 2 == 0)
    return table


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def docx_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_response(filename: str, doc) -> HttpResponse:
    """A download of `doc`; `filename` may be Chinese."""
    response = HttpResponse(docx_bytes(doc), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
