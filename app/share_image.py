"""The share preview image (og:image): the most urgent items, drawn with Pillow.

Messengers and social sites show a page's og:image beside a shared link; ours is a
1200×630 PNG of what the group needs most now, in the page's language, drawn from the
same board as /needs. Its view (app/public/poster.py) is a public page like any other,
so the page cache keeps it once per content version and the mirror holds a copy.

The fonts are DejaVu Sans (app/fonts/, Bitstream Vera licence): Pillow's own default
font has no accented letters. Texts too long for their line are shortened with "…".
"""

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
MAX_ITEMS = 5
FONTS = Path(__file__).resolve().parent / "fonts"
INK, PAPER, URGENT, MUTED = "#1b1b1b", "#ffffff", "#b3261e", "#4d4d4d"


@dataclass(frozen=True)
class ShareCard:
    """What the image says, already in the page's language."""

    group_name: str
    heading: str
    items: list[str]  # the most urgent first
    more: str  # "and 4 more", or ""
    address: str  # where the full list is
    note: str = ""  # a line above the address: donations paused


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def largest(text: str, sizes: tuple[int, ...], width: int) -> ImageFont.FreeTypeFont:
    """The bold font in the largest of `sizes` that fits the text in `width` pixels (French
    and the paused headings run longer); the smallest when none does."""
    return next(
        (font(size, True) for size in sizes if font(size, True).getlength(text) <= width),
        font(sizes[-1], True),
    )


def fitted(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """The text, cut with "…" where it would run past `width` pixels."""
    text = " ".join(text.split())
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw(card: ShareCard) -> bytes:
    """The card as PNG bytes: the same card always gives the same bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    pen.rectangle((0, 0, WIDTH, 16), fill=URGENT)

    y = 48
    pen.text((MARGIN, y), fitted(card.group_name, font(34), inner), font=font(34), fill=MUTED)
    y += 52
    heading = largest(card.heading, (58, 52, 46, 40), inner)
    pen.text(
        (MARGIN, y + 58 - heading.size),
        fitted(card.heading, heading, inner),
        font=heading,
        fill=INK,
    )
    y += 86
    for item in card.items[:MAX_ITEMS]:
        pen.rectangle((MARGIN, y + 14, MARGIN + 14, y + 28), fill=URGENT)
        pen.text((MARGIN + 34, y), fitted(item, font(36), inner - 34), font=font(36), fill=INK)
        y += 52
    if card.more:
        pen.text(
            (MARGIN + 34, y), fitted(card.more, font(32), inner - 34), font=font(32), fill=MUTED
        )

    if card.note:
        note = largest(card.note, (30, 26, 22), inner)
        pen.text((MARGIN, HEIGHT - 112), fitted(card.note, note, inner), font=note, fill=URGENT)
    pen.line((MARGIN, HEIGHT - 66, WIDTH - MARGIN, HEIGHT - 66), fill=INK, width=2)
    address = fitted(card.address, font(30), inner)
    pen.text((MARGIN, HEIGHT - 54), address, font=font(30), fill=INK)

    out = BytesIO()
    # zlib's default level: "optimize" makes a file 3% smaller in three times the time, and
    # the mirror draws it in every language at every change of the list.
    image.save(out, format="PNG")
    return out.getvalue()
