"""Eye alignment, pure: a synthetic face (two dots) turned and scaled by a known amount comes
back with its dots on the targets, within a pixel."""

import cmath
import io
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from tracker.alignment import (
    ALIGNED_SIZE,
    LEFT_TARGET,
    RIGHT_TARGET,
    Eyes,
    MarksRefused,
    align,
    aligned_jpeg,
    forward,
)

DOT_RADIUS = 9


SUPERSAMPLE = 8
SKIN, DOT = 220, 20


def face(size: tuple[int, int], left: tuple[float, float], right: tuple[float, float]):
    """A light image with two dark dots centred on `left` and `right` (continuous pixels),
    drawn 8 times larger and scaled down, so that their centres are exact to a fraction of
    a pixel."""
    big = Image.new("L", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), SKIN)
    draw = ImageDraw.Draw(big)
    for x, y in (left, right):
        r = DOT_RADIUS * SUPERSAMPLE
        cx, cy = x * SUPERSAMPLE, y * SUPERSAMPLE
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=DOT)
    return big.resize(size, Image.Resampling.BOX).convert("RGB")


def dark_centroids(im: Image.Image) -> list[tuple[float, float]]:
    """The centre of each half's dark dot, each pixel weighted by how dark it is."""
    grey = im.convert("L")
    width, height = grey.size
    pixels = grey.load()
    sums = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    for y in range(height):
        for x in range(width):
            # Darker than the grey beyond the photo's edges (128): the dots alone.
            weight = max(0, 110 - pixels[x, y])
            if weight:
                half = sums[x >= width // 2]
                half[0] += weight * (x + 0.5)
                half[1] += weight * (y + 0.5)
                half[2] += weight
    return [(sx / w, sy / w) for sx, sy, w in sums]


def turned(point, centre, angle_degrees, scale, shift):
    z = complex(*point) - complex(*centre)
    z = z * scale * cmath.exp(1j * math.radians(angle_degrees)) + complex(*centre) + complex(*shift)
    return (z.real, z.imag)


def assert_on_targets(im: Image.Image) -> None:
    left, right = dark_centroids(im)
    assert math.dist(left, LEFT_TARGET) < 1, left
    assert math.dist(right, RIGHT_TARGET) < 1, right


@pytest.mark.parametrize(
    ("angle", "scale", "shift"),
    [(0, 1, (0, 0)), (12, 0.7, (40, -30)), (-25, 1.6, (-60, 80)), (90, 1.1, (0, 0))],
)
def test_a_face_turned_and_scaled_by_a_known_amount_comes_back_aligned_within_a_pixel(
    angle, scale, shift
):
    size = (1200, 1600)
    left, right = (470.0, 700.0), (730.0, 700.0)
    centre = (600, 800)
    moved_left = turned(left, centre, angle, scale, shift)
    moved_right = turned(right, centre, angle, scale, shift)
    original = face(size, left, right)
    moved = face(size, moved_left, moved_right)

    aligned_original = align(original, Eyes.checked(left, right, *size))
    aligned_moved = align(moved, Eyes.checked(moved_left, moved_right, *size))

    assert aligned_original.size == aligned_moved.size == ALIGNED_SIZE
    assert_on_targets(aligned_original)
    assert_on_targets(aligned_moved)


def test_the_aligned_jpeg_keeps_the_eyes_on_the_targets():
    size = (900, 700)
    left, right = (380.3, 300.7), (520.9, 340.2)
    data = io.BytesIO()
    face(size, left, right).save(data, "JPEG", quality=95)

    aligned = Image.open(
        io.BytesIO(aligned_jpeg(data.getvalue(), Eyes.checked(left, right, *size)))
    )

    assert aligned.format == "JPEG"
    assert_on_targets(aligned)


@given(
    first=st.tuples(st.floats(0, 2048), st.floats(0, 2048)),
    second=st.tuples(st.floats(0, 2048), st.floats(0, 2048)),
)
def test_marked_eyes_land_on_the_targets(first, second):
    try:
        eyes = Eyes.checked(first, second, 2048, 2048)
    except MarksRefused:
        return
    assert math.dist(forward(eyes, eyes.left), LEFT_TARGET) < 1e-6
    assert math.dist(forward(eyes, eyes.right), RIGHT_TARGET) < 1e-6


def test_the_marks_are_put_in_order_from_left_to_right():
    eyes = Eyes.checked((700, 500), (300, 520), 1000, 1000)

    assert eyes.left == (300, 520)
    assert eyes.right == (700, 500)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ((-1, 10), (50, 10), "must lie on the photo"),
        ((10, 10), (50, 101), "must lie on the photo"),
        ((10, 10), (10, 10), "same point"),
        ((10, 10), (10.5, 10.5), "same point"),
    ],
)
def test_marks_outside_the_photo_or_on_one_point_are_refused(first, second, message):
    with pytest.raises(MarksRefused, match=message):
        Eyes.checked(first, second, 100, 100)


# Light ------------------------------------------------------------------------------------


def test_light_that_differs_by_more_than_the_threshold_is_named():
    from tracker.light import THRESHOLD, differences, measure

    base = measure(Image.new("RGB", (50, 50), (180, 150, 130)))
    brighter = measure(Image.new("RGB", (50, 50), (205, 175, 155)))
    slightly = measure(Image.new("RGB", (50, 50), (190, 160, 140)))
    warmer = measure(Image.new("RGB", (50, 50), (200, 150, 100)))

    assert differences(base, slightly) == []
    assert differences(base, brighter) == ["the later photo is brighter"]
    assert differences(brighter, base) == ["the later photo is darker"]
    assert "the later photo is warmer (more red, less blue)" in differences(base, warmer)
    assert (
        abs(brighter.brightness - base.brightness)
        > THRESHOLD
        > abs(slightly.brightness - base.brightness)
    )


def test_light_is_measured_from_a_jpeg_at_a_fraction_of_its_size():
    from tracker.light import measure_jpeg

    data = io.BytesIO()
    Image.new("RGB", (2000, 1500), (100, 120, 140)).save(data, "JPEG")

    light = measure_jpeg(data.getvalue())

    assert light.brightness == pytest.approx(0.2126 * 100 + 0.7152 * 120 + 0.0722 * 140, abs=2)
    assert light.warmth == pytest.approx(-40, abs=2)
