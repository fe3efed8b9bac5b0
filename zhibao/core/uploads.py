"""Uploads are checked by their content, not their name: size, then magic bytes.

A disguised executable (``invoice.pdf`` that is really a PE/ELF binary) is
rejected whatever its extension says. Accepted types are listed per use.
"""

from __future__ import annotations

import filetype
from django.conf import settings

from zhibao.core.errors import InvalidInput

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff"}
DOCUMENT_TYPES = IMAGE_TYPES | {
    "application/pdf", "application/zip", "audio/mpeg", "video/mp4", "audio/x-wav", "video/quicktime",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"\xca\xfe\xba\xbe", b"#!")


def sniff(head: bytes) -> str | None:
    """The MIME type by content; plain UTF-8 text is 'text/plain'; unknown binary is None."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # a multi-byte character may be cut at the end of the sample
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return "text/plain"


def check_upload(upload, *, field: str, allowed: set[str] | None, allow_text: bool = False) -> str:  # noqa: ANN001
    """Validate an uploaded file; returns its sniffed MIME type or raises InvalidInput.

    ``allowed=None`` accepts any content that is not an executable (evidence may be of any kind).
    """
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise InvalidInput({field: ["文件为空"]})
    if size > settings.ZHIBAO_MAX_UPLOAD_BYTES:
        raise InvalidInput({field: [f"文件超过上限 {settings.ZHIBAO_MAX_UPLOAD_BYTES // 1048576} MB"]})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(_EXECUTABLE_MAGIC):
        raise InvalidInput({field: ["文件内容为可执行程序，已拒绝"]})
    mime = sniff(head)
    if allowed is None:
        return mime or "application/octet-stream"
    if mime == "text/plain" and allow_text:
        return mime
    if mime not in allowed:
        raise InvalidInput({field: [f"不支持的文件类型（按内容识别为 {mime or '未知二进制'}）"]})
    return mime
