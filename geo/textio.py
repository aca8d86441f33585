"""Reading a source file into a Python string, refusing what is not a plan-sized text.

Decoding is the one place where bytes become text, so every rejection of bad bytes
(binary data, unknown encodings, absurd sizes) happens here with a specific message.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import DocumentError

#: A plan is about 100 KB; 8 MiB leaves room for long plans and still refuses dumps.
MAX_BYTES = 8 * 1024 * 1024

_ENCODINGS = ("utf-8-sig", "gb18030")
#: UTF-8 encodes common Han characters as E4–E9 followed by two continuation bytes. In
#: GB18030 text such triples are rare (under 2% of high bytes in the plan); in a file that
#: failed to decode as UTF-8 but has many of them, UTF-8 and GBK are mixed.
_UTF8_HAN = re.compile(rb"[\xe4-\xe9][\x80-\xbf]{2}")
_MIXED_SHARE = 0.2


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
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, name)
    if _looks_like_utf16(data):
        raise DocumentError(f"{name}: the file looks like UTF-16 without a byte-order mark; save it as UTF-8")
    if b"\x00" in data:
        raise DocumentError(f"{name}: the file contains NUL bytes; it looks binary, not text")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _utf8_share(data) > _MIXED_SHARE:
            break
        if _looks_like_text(text):
            return text
        break
    if _utf8_share(data) > _MIXED_SHARE:
        raise DocumentError(f"{name}: the file mixes UTF-8 and GBK/GB18030 text; save it in one encoding")
    raise DocumentError(f"{name}: cannot decode the file as UTF-8 or GB18030 text")


def _decode_utf16(data: bytes, name: str) -> str:
    """UTF-16 with a byte-order mark (Windows Notepad's "Unicode") is read as such."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise DocumentError(f"{name}: the file starts as UTF-16 but does not decode as UTF-16") from None
    if not _looks_like_text(text):
        raise DocumentError(f"{name}: the file decodes as UTF-16 but is not text")
    return text


def _looks_like_utf16(data: bytes) -> bool:
    """NULs on one side of the byte pairs: ASCII (digits, line breaks) in UTF-16 without a BOM."""
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) >= max(4, len(head) // 20) and min(even, odd) <= max(even, odd) // 10


def _utf8_share(data: bytes) -> float:
    high = sum(1 for b in data if b >= 0x80)
    return 3 * len(_UTF8_HAN.findall(data)) / high if high else 0.0


def _looks_like_text(text: str) -> bool:
    """Reject decodings that are mostly control characters (GB18030 accepts almost any bytes)."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= max(2, len(text) // 1000)


def read_text(path: str | Path) -> str:
    """Read and decode a source file; every failure is a :class:`DocumentError`."""
    path = Path(path)
    try:
        if path.is_dir():
            raise DocumentError(f"{path}: is a directory; give the plan's text file")
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
