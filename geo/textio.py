"""Reading a source file into a Python string, refusing what is not a plan-sized text.

Decoding is the one place where bytes become text, so every rejection of bad bytes
(binary data, unknown encodings, absurd sizes) happens here with a specific message.
"""
from __future__ import annotations

from pathlib import Path

from .errors import DocumentError

#: A plan is about 100 KB; 8 MiB leaves room for long plans and still refuses dumps.
MAX_BYTES = 8 * 1024 * 1024

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, *, name: str = "input") -> str:
    """Decode bytes as UTF-8 (with or without BOM) or GB18030/GBK.

    GB18030 is a superset of GBK and GB2312, so one attempt covers all three.
    """
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise DocumentError(
            f"{name}: {len(data):,} bytes is too large to be a plan (limit {MAX_BYTES:,} bytes)"
        )
    if b"\x00" in data:
        raise DocumentError(f"{name}: the file contains NUL bytes; it looks binary, not text")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        break
    raise DocumentError(f"{name}: cannot decode the file as UTF-8 or GB18030 text")


def _looks_like_text(text: str) -> bool:
    """Reject decodings that are mostly control characters (GB18030 accepts almost any bytes)."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= max(2, len(text) // 1000)


def read_text(path: str | Path) -> str:
    """Read and decode a source file; every failure is a :class:`DocumentError`."""
    path = Path(path)
    try:
        if not path.is_file():
            raise DocumentError(f"{path}: no such file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(
                f"{path}: {size:,} bytes is too large to be a plan (limit {MAX_BYTES:,} bytes)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the file ({exc.strerror})") from exc
    return decode(data, name=str(path))
