"""The processing of untrusted uploads, without Django: what is refused, and what is stored."""

import io
import warnings
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL import ExifTags, Image, ImageCms

from tests import photo_samples as samples
from tracker import images
from tracker.images import ImageRejected, process_upload


def process(data: bytes) -> images.ProcessedImage:
    return process_upload(io.BytesIO(data))


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_no_metadata(data: bytes) -> None:
    stored = reopen(data)
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "dpi"):
        assert key not in stored.info, key
    for marker in (b"Exif\x00\x00", b"adobe:ns:meta", b"Alice", b"Phone maker", b"http://ns"):
        assert marker not in data, marker


def test_a_phone_jpeg_is_stored_without_exif_gps_xmp_or_comment():
    upload = samples.phone_jpeg()
    assert reopen(upload).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the sample must carry GPS"

    processed = process(upload)

    assert_no_metadata(processed.image)
    assert_no_metadata(processed.thumbnail)


@pytest.mark.parametrize(
    "upload",
    [
        samples.png(exif=samples.camera_exif(), pnginfo=None),
        samples.webp(exif=samples.camera_exif(), xmp=samples.XMP),
        samples.heic(exif=samples.camera_exif(), xmp=samples.XMP),
    ],
    ids=["png", "webp", "heic"],
)
def test_png_webp_and_heic_lose_their_metadata_too(upload):
    assert b"Phone maker" in upload
    assert_no_metadata(process(upload).image)


def test_no_byte_of_the_upload_survives_in_the_stored_image():
    upload = samples.jpeg((64, 48))

    stored = process(upload).image

    assert stored != upload
    # The compressed image data itself is new: not even a run of 32 bytes is shared.
    body = upload[upload.index(b"\xff\xda") + 40 : -40]
    assert not any(body[i : i + 32] in stored for i in range(0, len(body) - 32, 16))


def test_a_photo_with_exif_orientation_6_is_stored_upright():
    # Orientation 6: the camera was turned, the picture must be turned 90° clockwise to view.
    upload = samples.jpeg((400, 300), samples.camera_exif(orientation=6))

    processed = process(upload)

    stored = reopen(processed.image)
    assert (processed.width, processed.height) == stored.size == (300, 400)
    # Turned clockwise, the left (red) half of the sensor's picture becomes the top.
    red, _green, blue = stored.getpixel((150, 40))
    assert red > 200 and blue < 60
    red, _green, blue = stored.getpixel((150, 360))
    assert blue > 200 and red < 60
    assert reopen(processed.thumbnail).size[1] > reopen(processed.thumbnail).size[0]


def test_a_photo_without_orientation_keeps_its_layout():
    stored = reopen(process(samples.jpeg((400, 300))).image)

    assert stored.size == (400, 300)
    assert stored.getpixel((40, 150))[0] > 200


def test_the_long_side_is_capped_and_a_thumbnail_made():
    processed = process(samples.jpeg((3000, 2000)))

    assert (processed.width, processed.height) == (images.MAX_SIDE, 1365)
    assert reopen(processed.image).size == (images.MAX_SIDE, 1365)
    assert reopen(processed.thumbnail).size == (images.THUMBNAIL_SIDE, 320)
    # Pages give each thumbnail its size before it loads.
    assert (processed.thumbnail_width, processed.thumbnail_height) == (images.THUMBNAIL_SIDE, 320)


def test_a_12_megapixel_jpeg_is_decoded_at_half_scale_in_draft_mode():
    upload = samples.encode(samples.photo_like((4032, 3024)), "JPEG", quality=85)

    processed = process(upload)

    # 2016 px is what libjpeg's 1/2 scale gives; a full decode and resize would give 2048.
    assert (processed.width, processed.height) == (2016, 1512)


def test_a_12_megapixel_png_is_halved_by_a_box_filter_like_a_jpeg_draft():
    processed = process(samples.encode(samples.two_tone((4032, 3024)), "PNG"))

    assert (processed.width, processed.height) == (2016, 1512)


def test_a_48_megapixel_photo_is_reduced_below_the_cap():
    processed = process(samples.jpeg((8000, 6000)))

    assert (processed.width, processed.height) == (2000, 1500)


def test_a_small_photo_is_not_enlarged():
    processed = process(samples.jpeg((320, 240)))

    assert (processed.width, processed.height) == (320, 240)
    assert reopen(processed.thumbnail).size == (320, 240)


def test_only_the_first_frame_of_an_mpo_is_used():
    upload = samples.mpo(first="red", second="blue")
    assert Image.open(io.BytesIO(upload)).n_frames == 2

    stored = reopen(process(upload).image)

    red, _green, blue = stored.getpixel((10, 10))
    assert red > 200 and blue < 60


def test_an_iphone_heic_is_accepted():
    processed = process(samples.heic((400, 300)))

    stored = reopen(processed.image)
    assert stored.format == "JPEG"
    assert stored.size == (400, 300)


def test_webp_is_accepted():
    assert reopen(process(samples.webp()).image).size == (300, 200)


def test_a_transparent_png_is_flattened_onto_white():
    upload = samples.encode(Image.new("RGBA", (40, 40), (0, 0, 0, 0)), "PNG")

    stored = reopen(process(upload).image)

    assert stored.mode == "RGB"
    assert min(stored.getpixel((20, 20))) > 245


def test_a_16_bit_greyscale_png_keeps_its_tones():
    upload = samples.encode(Image.new("I;16", (40, 40), 32768), "PNG")

    grey = reopen(process(upload).image).getpixel((20, 20))

    assert 120 < grey[0] < 136


def test_a_broken_colour_profile_does_not_refuse_the_photo():
    upload = samples.jpeg((64, 48), icc_profile=b"not a profile at all")

    assert "icc_profile" not in reopen(process(upload).image).info


def test_colours_are_converted_from_the_photos_own_profile_to_srgb():
    profile = samples.swapped_primaries_profile()
    assert "sRGB" not in ImageCms.getProfileDescription(
        ImageCms.ImageCmsProfile(io.BytesIO(profile))
    )
    upload = samples.encode(Image.new("RGB", (32, 32), (255, 0, 0)), "JPEG", icc_profile=profile)

    red, _green, blue = reopen(process(upload).image).getpixel((16, 16))

    # In that profile the first channel is blue: dropping the profile would have kept red.
    assert blue > 200 and red < 60


def test_the_date_taken_comes_from_exif_as_the_cameras_wall_clock():
    upload = samples.jpeg(exif=samples.camera_exif(taken="2025:06:01 10:00:00"))

    assert process(upload).taken_at == datetime(2025, 6, 1, 10, 0)


def test_the_date_taken_is_aware_when_the_camera_recorded_its_offset():
    upload = samples.jpeg(exif=samples.camera_exif(taken="2025:06:01 10:00:00", offset="+02:00"))

    taken_at = process(upload).taken_at

    assert taken_at == datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    assert taken_at.utcoffset() == timedelta(hours=2)
    assert taken_at.tzinfo == timezone(timedelta(hours=2))


@pytest.mark.parametrize("taken", [None, "0000:00:00 00:00:00", "yesterday", "2025:13:45 99:00:00"])
def test_a_missing_or_meaningless_date_taken_is_none(taken):
    upload = samples.jpeg(exif=samples.camera_exif(taken=taken))

    assert process(upload).taken_at is None


def test_a_photo_without_exif_has_no_date_taken():
    assert process(samples.png()).taken_at is None


# Built when a test runs, not when tests are collected.
REFUSALS = {
    "an empty file": (lambda: b"", images.NOT_AN_IMAGE),
    "a truncated jpeg": (samples.truncated_jpeg, images.DAMAGED),
    "a 20000 by 20000 png": (samples.huge_png, images.TOO_MANY_PIXELS),
    "an svg": (lambda: samples.SVG, images.NOT_AN_IMAGE),
    "an html page": (lambda: samples.HTML, images.NOT_AN_IMAGE),
    "a pdf": (lambda: samples.PDF, images.NOT_AN_IMAGE),
    "a gif": (lambda: samples.encode(Image.new("P", (10, 10)), "GIF"), images.NOT_AN_IMAGE),
    "a png with html appended": (lambda: samples.png() + samples.HTML, images.TRAILING_DATA),
    "a webp with html appended": (lambda: samples.webp() + samples.HTML, images.TRAILING_DATA),
    "a heic with html appended": (lambda: samples.heic() + samples.HTML, images.TRAILING_DATA),
    "a png cut short": (lambda: samples.png()[:-30], images.DAMAGED),
    "a png with scrambled pixel data": (samples.corrupt_png, images.DAMAGED),
    "a 60 megapixel png": (lambda: samples.huge_png((8000, 7500)), images.TOO_MANY_PIXELS),
}


@pytest.mark.parametrize(("make_data", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_bad_input_is_refused_with_a_message_for_people(make_data, message):
    with pytest.raises(ImageRejected) as refusal:
        process(make_data())

    assert refusal.value.message == message


def test_a_decompression_bomb_is_an_error_not_a_warning():
    # Above Pillow's own threshold (89 megapixels), which only warns by default.
    bomb = samples.huge_png((10_000, 10_000))
    filters_before = list(warnings.filters)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ImageRejected, match="too large"):
            process(bomb)

    assert warnings.filters == filters_before


def test_the_file_name_and_content_type_play_no_part():
    # A file object with a photo's name still has to be a photo inside.
    upload = io.BytesIO(samples.HTML)
    upload.name = "IMG_0001.jpg"

    with pytest.raises(ImageRejected):
        process_upload(upload)


def test_processing_starts_from_the_beginning_of_a_file_already_read():
    upload = io.BytesIO(samples.jpeg())
    upload.read()

    assert process_upload(upload).width == 400
