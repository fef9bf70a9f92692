"""Checking an uploaded file before it is stored, the same way everywhere (proposal attachments, opinion
report attachments, meeting documents, consultation materials, activity photos and report files).

`check(upload, allowed=..., max_mb=...)` refuses, with a message naming the file: a type not in the list,
an empty file, a file over the size limit, and a file whose first bytes do not match its extension (an
.exe renamed to .pdf). It returns the cleaned file name and the extension. Stored names are chosen by the
caller (random where the name must not decide a path)."""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc .xls .ppt
_ZIP = (b"PK\x03\x04",)  # .docx .xlsx .pptx
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # and "WEBP" at byte 8
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def clean_name(name: str | None) -> str:
    """The file's own name without any directory part, at most 150 characters."""
    base = os.path.basename((name or "").replace("\\", "/")).strip() or "file"
    return base[-150:]


def content_type(file_name: str) -> str:
    return CONTENT_TYPES.get(os.path.splitext(file_name)[1].lower(), "application/octet-stream")


def types_text(allowed) -> str:
    return "、".join(t.lstrip(".").upper() for t in allowed)


def check(upload, *, allowed, max_mb: float) -> tuple[str, str]:
    """(clean name, extension) of an acceptable upload; ValidationError with a clear message otherwise."""
    name = clean_name(getattr(upload, "name", ""))
    ext = os.path.splitext(name)[1].lower()
    allowed = [t.lower() for t in allowed]
    if ext not in allowed:
        raise ValidationError(
            _("「%(name)s」的文件类型不能上传。可以上传的类型:%(types)s。")
            % {"name": name, "types": types_text(allowed)}
        )
    if upload.size == 0:
        raise ValidationError(_("「%(name)s」是空文件。") % {"name": name})
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("「%(name)s」有 %(size).1f MB,超过了 %(max)s MB 的限制,请压缩后再上传。")
            % {"name": name, "size": upload.size / 1024 / 1024, "max": max_mb}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = SIGNATURES.get(ext)
    ok = signatures is None or head.startswith(signatures)
    if ext == ".webp":
        ok = ok and head[8:12] == b"WEBP"
    if not ok:
        raise ValidationError(
            _("「%(name)s」的内容与它的文件类型不符(不是真正的 %(type)s 文件),请检查后重新上传。")
            % {"name": name, "type": ext.lstrip(".").upper()}
        )
    return name, ext
