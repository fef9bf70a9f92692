import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from lvzhi.core.xlsx import XlsxError, cell_text, read_rows, workbook_bytes, xlsx_response

COLUMNS = {"姓名": "name", "手机号": "mobile", "出生日期": "birth"}


def upload(rows, name="x.xlsx"):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def test_it_writes_headers_and_rows_that_read_back():
    data = workbook_bytes(["姓名", "生日", "常委"], [["张三", dt.date(1970, 1, 2), True], ["李四", None, False]])
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "生日", "常委")
    assert rows[1][0] == "张三" and rows[1][1].date() == dt.date(1970, 1, 2) and rows[1][2] == "是"
    assert rows[2] == ("李四", None, "否")


def test_it_writes_a_leading_equals_sign_as_text_not_a_formula():
    data = workbook_bytes(["备注"], [['=HYPERLINK("http://evil")']])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value == '=HYPERLINK("http://evil")'


def test_the_response_is_a_download_with_a_chinese_file_name():
    response = xlsx_response("委员名册.xlsx", ["a"], [[1]])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert "%E5%A7%94" in response["Content-Disposition"]  # 委, RFC 5987 encoded


def test_it_reads_rows_by_header_in_any_order_and_skips_blank_rows():
    f = upload(
        [["备注", "手机号", " 姓名 "], ["x", 13900000001, "张三"], [None, None, None], ["", "13900000002", "李四"]]
    )
    rows = read_rows(f, COLUMNS, required=["姓名"])
    assert [n for n, _ in rows] == [2, 4]
    assert rows[0][1]["name"] == "张三" and cell_text(rows[0][1]["mobile"]) == "13900000001"
    assert "birth" not in rows[0][1]


def test_cell_text_drops_the_float_suffix_of_numbers():
    assert cell_text(13900000001.0) == "13900000001"
    assert cell_text(None) == ""
    assert cell_text(dt.datetime(1970, 1, 2)) == "1970-01-02"


def test_it_refuses_a_missing_required_header():
    with pytest.raises(XlsxError, match="缺少表头:手机号"):
        read_rows(upload([["姓名"], ["张三"]]), COLUMNS, required=["姓名", "手机号"])


def test_it_refuses_a_file_that_is_not_xlsx():
    with pytest.raises(XlsxError, match=r"\.xlsx"):
        read_rows(SimpleUploadedFile("a.csv", b"a,b\n1,2"), COLUMNS)
    with pytest.raises(XlsxError, match="不是有效的 Excel"):
        read_rows(SimpleUploadedFile("a.xlsx", b"this is text, not a workbook"), COLUMNS)


def test_it_refuses_a_corrupt_zip():
    with pytest.raises(XlsxError, match="无法读取"):
        read_rows(SimpleUploadedFile("a.xlsx", b"PK\x03\x04" + b"\x00" * 200), COLUMNS)


def test_it_refuses_too_many_rows_and_too_big_files():
    f = upload([["姓名"]] + [[f"人{i}"] for i in range(11)])
    with pytest.raises(XlsxError, match="最多导入 10 行"):
        read_rows(f, COLUMNS, max_rows=10)
    with pytest.raises(XlsxError, match="文件太大"):
        read_rows(upload([["姓名"], ["张三"]]), COLUMNS, max_bytes=100)
