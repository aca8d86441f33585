"""PDFs made in the tests with a real PDF writer (reportlab), laid out as plans are published:
indented paragraphs wrapped at a fixed width, a running header, page numbers in the footer."""
from __future__ import annotations

from pathlib import Path

#: reportlab's built-in CID font: Chinese text without a font file, and pypdf extracts it back.
FONT = "STSong-Light"
LINE_CHARS = 24
LINES_PER_PAGE = 14
INDENT = "\u3000\u3000"


def _canvas(path: Path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(str(path))


def plan_pdf(path: Path, paragraphs: list[str], header: str = "纲要节选·测试稿") -> Path:
    """Each paragraph indented and wrapped; ``header`` on top of every page, 第 N 页 at the bottom."""
    lines: list[str] = []
    for text in paragraphs:
        text = INDENT + text
        lines += [text[i:i + LINE_CHARS] for i in range(0, len(text), LINE_CHARS)]
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    c = _canvas(path)
    for number, page in enumerate(pages, start=1):
        c.setFont(FONT, 10)
        c.drawString(72, 800, header)
        c.setFont(FONT, 12)
        for i, line in enumerate(page):
            c.drawString(72, 760 - 20 * i, line)
        c.setFont(FONT, 10)
        c.drawString(280, 50, f"第 {number} 页")
        c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """A page holding only a picture, as a scanner makes: no text layer at all."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = Image.new("L", (200, 100), color=230)
    for x in range(20, 180):
        picture.putpixel((x, 50), 0)
    c = _canvas(path)
    c.drawImage(ImageReader(picture), 72, 500, width=400, height=200)
    c.showPage()
    c.save()
    return path


def blocks(path: Path) -> list[str]:
    """The paragraphs of a text file, split at blank lines."""
    return [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
