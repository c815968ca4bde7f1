"""Two photos of a face lined up by the eyes: turned, scaled and cropped so that both eyes
land on the same two points of every aligned photo.

Plain Pillow, no Django. Coordinates are continuous pixel coordinates of the stored image:
(0, 0) is the top-left corner of its top-left pixel, whose centre is (0.5, 0.5).
"""

import io
from dataclasses import dataclass

from PIL import Image

# Every aligned photo: portrait, the eyes level, 35 % and 65 % across and 42 % down.
ALIGNED_SIZE = (900, 1200)
LEFT_TARGET = (315.0, 504.0)
RIGHT_TARGET = (585.0, 504.0)
# Beyond the photo's own edges after turning: a neutral grey, the same in both photos.
FILL = (128, 128, 128)
ALIGNED_QUALITY = 85
# Two marks closer than this share of the photo's longer side are one tap, not two eyes.
MIN_EYE_DISTANCE = 0.02

Point = tuple[float, float]


class MarksRefused(ValueError):
    """Marks that cannot be eyes; the message is for the person."""


@dataclass(frozen=True)
class Eyes:
    """The centre of each eye, "left" and "right" as seen in the photo."""

    left: Point
    right: Point

    @classmethod
    def checked(cls, first: Point, second: Point, width: int, height: int) -> "Eyes":
        """Two marks on a photo of `width` by `height`, in order from left to right; refused
        (MarksRefused) if one lies outside the photo or both lie on (nearly) one point."""
        for x, y in (first, second):
            if not (0 <= x <= width and 0 <= y <= height):
                raise MarksRefused(
                    f"Each mark must lie on the photo: from 0 to {width} across and from 0 "
                    f"to {height} down."
                )
        apart = ((first[0] - second[0]) ** 2 + (first[1] - second[1]) ** 2) ** 0.5
        if apart < MIN_EYE_DISTANCE * max(width, height):
            raise MarksRefused(
                "The two marks are on the same point: put one on the centre of each eye."
            )
        left, right = sorted((first, second))
        return cls(left, right)


def inverse_map(eyes: Eyes) -> tuple[float, float, float, float, float, float]:
    """Pillow's affine data for the aligned image: for each point of the aligned image, the
    point of the photo it shows. A similarity (turn, scale, shift) taking the targets to the
    eyes, worked out with complex numbers: z_photo = m * z_aligned + t."""
    target_left, target_right = complex(*LEFT_TARGET), complex(*RIGHT_TARGET)
    left, right = complex(*eyes.left), complex(*eyes.right)
    m = (right - left) / (target_right - target_left)
    t = left - m * target_left
    return (m.real, -m.imag, t.real, m.imag, m.real, t.imag)


def forward(eyes: Eyes, point: Point) -> Point:
    """Where a point of the photo lands in its aligned image (for tests and checks)."""
    a, b, c, d, e, f = inverse_map(eyes)
    x, y = point[0] - c, point[1] - f
    determinant = a * e - b * d
    return ((e * x - b * y) / determinant, (a * y - d * x) / determinant)


def align(im: Image.Image, eyes: Eyes) -> Image.Image:
    """The photo turned, scaled and cropped so that its eyes sit on the targets."""
    return im.convert("RGB").transform(
        ALIGNED_SIZE,
        Image.Transform.AFFINE,
        inverse_map(eyes),
        resample=Image.Resampling.BICUBIC,
        fillcolor=FILL,
    )


def aligned_jpeg(stored: bytes, eyes: Eyes) -> bytes:
    """A stored photo (a JPEG this app made) aligned by its eyes, as a fresh JPEG."""
    with Image.open(io.BytesIO(stored), formats=["JPEG"]) as im:
        aligned = align(im, eyes)
    out = io.BytesIO()
    aligned.save(out, "JPEG", quality=ALIGNED_QUALITY)
    return out.getvalue()
