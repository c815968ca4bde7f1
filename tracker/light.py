"""How the light of two photos differs: mean brightness and colour balance, measured from the
images themselves, and the differences large enough to mislead a comparison.

Plain Pillow. Values are on the 0 to 255 scale of the stored sRGB JPEGs.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageStat

# A difference in mean brightness, or in either colour balance, above this many of the 255
# levels (about 8 %) is visible side by side and can pass for a change of the skin itself.
THRESHOLD = 20
# Measured on a small copy: the mean of 128 pixels a side is as good as of all of them.
MEASURED_SIDE = 128


@dataclass(frozen=True)
class Light:
    brightness: float  # mean luma (Rec. 709 weights)
    warmth: float  # mean red minus mean blue: above zero, warmer light
    tint: float  # mean green minus the mean of red and blue: above zero, greener light


def measure(im: Image.Image) -> Light:
    small = im.convert("RGB")
    small.thumbnail((MEASURED_SIDE, MEASURED_SIDE))
    red, green, blue = ImageStat.Stat(small).mean
    return Light(
        brightness=0.2126 * red + 0.7152 * green + 0.0722 * blue,
        warmth=red - blue,
        tint=green - (red + blue) / 2,
    )


def measure_jpeg(data: bytes) -> Light:
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as im:
        # JPEG's draft mode decodes at an eighth of the size, nearly for free.
        im.draft("RGB", (MEASURED_SIDE, MEASURED_SIDE))
        return measure(im)


def differences(before: Light, after: Light) -> list[str]:
    """What differs enough to mislead, in words ("the later photo is brighter")."""
    found = []
    pairs = [
        (after.brightness - before.brightness, "brighter", "darker"),
        (after.warmth - before.warmth, "warmer (more red, less blue)", "cooler (more blue)"),
        (after.tint - before.tint, "greener", "more magenta"),
    ]
    for difference, more, less in pairs:
        if abs(difference) > THRESHOLD:
            found.append(f"the later photo is {more if difference > 0 else less}")
    return found
