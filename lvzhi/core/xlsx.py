"""A small Excel (.xlsx) helper every capability reuses: write rows under headers to a download, and read
the first sheet of an upload into dict rows by header. Built on openpyxl.

    return xlsx_response("委员名册.xlsx", ["姓名", "手机号"], ((m.name, m.mobile) for m in members))

    rows = read_rows(upload, {"姓名": "name", "手机号": "mobile"}, required=["姓名"], max_rows=5000)
    for number, row in rows: ...   # number: the row number as Excel shows it (headers are row 1)

Reading never raises anything but `XlsxError`, whose message says in the user's language what is wrong.
"""

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class XlsxError(Exception):
    """The file cannot be read as the expected sheet; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- writing


def _cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool):
        value = _("是") if value else _("否")
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula (no formula injection from user data)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd"
    return cell


def workbook_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1") -> bytes:
    """An .xlsx file with one sheet: bold headers in row 1, then the rows (str, int, date, bool, None)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    for i, header in enumerate(headers):
        width = max(10, min(40, 2 * len(str(header)) + 4))
        ws.column_dimensions[_column_letter(i)].width = width
    head = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=str(header))
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1"):
    """A download of `rows` under `headers`; `filename` may be Chinese."""
    response = HttpResponse(workbook_bytes(headers, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- reading


def cell_text(value) -> str:
    """A cell as text: numbers typed as numbers (a mobile 13900000001 or 13900000001.0) lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(
    upload,
    columns: dict[str, str],
    *,
    required: Iterable[str] = (),
    max_rows: int = 5000,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> list[tuple[int, dict]]:
    """Read the first sheet of an uploaded .xlsx: row 1 holds headers, `columns` maps header → key.

    Unknown headers are ignored, missing `required` headers are an error, blank rows are skipped.
    Returns [(excel_row_number, {key: raw cell value})]. Raises XlsxError with a clear message."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise XlsxError(_("请上传 Excel 文件(.xlsx 格式)。"))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise XlsxError(_("文件太大:不能超过 %(mb)s MB。") % {"mb": max_bytes // (1024 * 1024)})
    if size == 0:
        raise XlsxError(_("文件是空的。"))
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise XlsxError(_("文件不是有效的 Excel(.xlsx)文件,请用 Excel 或 WPS 另存为 .xlsx 后再上传。"))
    try:
        return _read(upload, columns, list(required), max_rows)
    except XlsxError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds of errors on a malformed file
        raise XlsxError(_("文件无法读取,可能已损坏或不是 Excel 文件,请检查后重新上传。")) from exc


def _read(upload, columns, required, max_rows):
    from openpyxl import load_workbook

    wb = load_workbook(upload, read_only=True, data_only=True)
    try:
        if not wb.worksheets:
            raise XlsxError(_("文件中没有工作表。"))
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise XlsxError(_("第一个工作表是空的:第 1 行应是表头。"))
        index: dict[str, int] = {}
        for i, header in enumerate(header_row):
            text = cell_text(header).replace(" ", "").replace("\u3000", "")
            if text in columns and columns[text] not in index:
                index[columns[text]] = i
        missing = [h for h in required if columns[h] not in index]
        if missing:
            raise XlsxError(_("缺少表头:%(names)s。请使用导入模板,第 1 行为表头。") % {"names": "、".join(missing)})
        out = []
        for number, values in enumerate(rows, start=2):
            row = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
            if all(cell_text(v) == "" for v in row.values()):
                continue
            if len(out) >= max_rows:
                raise XlsxError(_("行数太多:一次最多导入 %(n)s 行,请分批导入。") % {"n": max_rows})
            out.append((number, row))
        return out
    finally:
        wb.close()
