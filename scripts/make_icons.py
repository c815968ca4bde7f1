"""Draw the installable app's PNG icons from static/favicon.svg: `make icons`.

The PNGs are committed; run this again only when the favicon changes. It needs cairosvg
(`pip install -e '.[icons]'`, which uses the system's libcairo) and Pillow.

- icon-192.png, icon-512.png: the favicon as it is ("any": shown as drawn, corners clear).
- icon-maskable-*.png: full-bleed background with the drawing inside the central 80 % circle,
  so that a launcher may cut any shape out of it (https://www.w3.org/TR/appmanifest/#icon-masks).
- apple-touch-icon.png (180 px): opaque, as iOS paints transparent corners black.
- shortcut-log-96.png, shortcut-photo-96.png: the two shortcuts' icons.
"""

import io
import re
import sys
from pathlib import Path

import cairosvg
from PIL import Image

STATIC = Path(__file__).resolve().parent.parent / "static"
SOURCE = STATIC / "favicon.svg"
OUT = STATIC / "icons"

# A maskable icon's safe zone is a circle of 40 % of the size around the centre; the favicon's
# circle (radius 14 of 32) would be cut, so its drawing is shrunk to fit inside that zone.
MASKABLE_SCALE = 0.8 * 32 / 28

PALETTE_COLOURS = 64

PLUS = '<path d="M16 9v14M9 16h14" stroke="#fff" stroke-width="3" stroke-linecap="round"/>'
CAMERA = (
    '<path d="M9 12.5h3l1.5-2h5l1.5 2h3a1 1 0 0 1 1 1V21a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1v-7.5'
    'a1 1 0 0 1 1-1z" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"/>'
    '<circle cx="16" cy="17" r="2.6" fill="none" stroke="#fff" stroke-width="2"/>'
)


def favicon_parts() -> tuple[str, str]:
    """The favicon's background colour and the drawing inside its circle."""
    svg = SOURCE.read_text()
    colour = re.search(r'<circle[^>]*fill="(#[0-9a-fA-F]{3,6})"', svg).group(1)
    inner = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.DOTALL).group(1)
    return colour, inner


def svg_document(body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">{body}</svg>'


def full_bleed(colour: str, drawing: str, scale: float) -> str:
    """A square of the background colour with the drawing scaled about the centre."""
    shift = 16 * (1 - scale)
    return svg_document(
        f'<rect width="32" height="32" fill="{colour}"/>'
        f'<g transform="translate({shift:.4f} {shift:.4f}) scale({scale:.4f})">{drawing}</g>'
    )


def render(svg: str, size: int, path: Path) -> None:
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=size, output_height=size)
    image = Image.open(io.BytesIO(png))
    image.load()
    # Two colours and their anti-aliased edges: 64 palette entries look the same and take a
    # third of the bytes, which every phone that installs the app downloads.
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")
    method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
    image.quantize(PALETTE_COLOURS, method=method).save(path, optimize=True)
    print(f"{path.relative_to(STATIC.parent)}: {size}x{size}, {path.stat().st_size} bytes")


def main() -> int:
    OUT.mkdir(exist_ok=True)
    colour, drawing = favicon_parts()
    favicon = SOURCE.read_text()
    maskable = full_bleed(colour, drawing, MASKABLE_SCALE)
    for size in (192, 512):
        render(favicon, size, OUT / f"icon-{size}.png")
        render(maskable, size, OUT / f"icon-maskable-{size}.png")
    # iOS rounds the corners itself and fills transparency with black: a full square.
    render(full_bleed(colour, drawing, 1.0), 180, OUT / "apple-touch-icon.png")
    circle = f'<circle cx="16" cy="16" r="15" fill="{colour}"/>'
    render(svg_document(circle + PLUS), 96, OUT / "shortcut-log-96.png")
    render(svg_document(circle + CAMERA), 96, OUT / "shortcut-photo-96.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
