"""Progress photos from untrusted uploads: decoded safely, normalised, re-encoded from scratch.

Plain Pillow, no Django. `process_upload` either returns fresh JPEG bytes (no byte, tag or
comment of the upload survives) or raises `ImageRejected` with a message for the person.
"""

import io
import struct
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import BinaryIO

import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
FORMATS_FOR_PEOPLE = "JPEG, PNG, WebP or HEIC"
# 48-megapixel phone photos fit; decoding anything larger would cost hundreds of megabytes.
MAX_PIXELS = 50_000_000
MAX_SIDE = 2048
THUMBNAIL_SIDE = 480
# JPEG decodes at 1/2, 1/4 or 1/8 scale almost for free (draft mode), and other formats shrink
# by a whole factor cheaply (a box filter): both are used while the long side keeps at least
# this much. A 12 MP photo is then stored at 2016 px, with no costly resampling at all.
MIN_REDUCED_SIDE = MAX_SIDE * 3 // 4
IMAGE_QUALITY = 85
THUMBNAIL_QUALITY = 80

NOT_AN_IMAGE = f"This is not a photo we can read: upload a {FORMATS_FOR_PEOPLE} image."
TOO_MANY_PIXELS = f"This image is too large: at most {MAX_PIXELS // 1_000_000} megapixels."
NOT_FROM_AN_EXPORT = f"This image is larger than an export's photos ({MAX_SIDE} pixels at most)."
DAMAGED = "This image is damaged or incomplete: it could not be read to the end."
TRAILING_DATA = (
    "This file carries extra data after the image. Export the photo again and upload that."
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(Exception):
    """An upload we refuse; `message` is meant for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    thumbnail_width: int
    thumbnail_height: int
    # From EXIF DateTimeOriginal: aware when the camera recorded its offset, else naive
    # (the camera's wall clock, for the caller to place in the owner's time zone).
    taken_at: datetime | None


def process_upload(
    fileobj: BinaryIO, formats: tuple[str, ...] = ALLOWED_FORMATS, max_pixels: int = MAX_PIXELS
) -> ProcessedImage:
    """Decode an upload (first frame only), apply its orientation, cap its size, re-encode it.

    `formats` and `max_pixels` narrow what is taken (an export's photos are JPEGs this app
    made, no larger than MAX_SIDE): anything else is refused before it is decoded.
    """
    fileobj.seek(0)
    refuse_trailing_data(fileobj)
    fileobj.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(fileobj, formats=formats) as im:
                return normalise(im, max_pixels)
        except ImageRejected:
            raise
        except UnidentifiedImageError:
            raise ImageRejected(NOT_AN_IMAGE) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected(TOO_MANY_PIXELS) from None
        except Exception as error:
            # Any failure to decode untrusted bytes is a refusal, whatever Pillow raised.
            raise ImageRejected(DAMAGED) from error


def normalise(im: Image.Image, max_pixels: int = MAX_PIXELS) -> ProcessedImage:
    if im.width * im.height > max_pixels:
        raise ImageRejected(TOO_MANY_PIXELS if max_pixels == MAX_PIXELS else NOT_FROM_AN_EXPORT)
    if im.format in ("JPEG", "MPO"):
        im.draft("RGB", fit_within(im.size, MIN_REDUCED_SIDE))
    # Decode before reading EXIF: PNG's getexif() decodes too, and its lenient reading must
    # never be what swallows a decoding error (a second load() would then "succeed").
    im.load()
    exif = read_exif(im)
    icc_profile = im.info.get("icc_profile")
    if exif is not None:
        ImageOps.exif_transpose(im, in_place=True)
    rgb = to_rgb(im)
    if (factor := max(rgb.size) // MIN_REDUCED_SIDE) > 1:
        rgb = rgb.reduce(factor)
    if max(rgb.size) > MAX_SIDE:
        rgb = rgb.resize(fit_within(rgb.size, MAX_SIDE), Image.Resampling.LANCZOS)
    rgb = to_srgb(rgb, icc_profile)
    # Nothing of the upload's metadata may reach the encoder: EXIF (GPS), XMP, comments, ICC.
    rgb.info = {}
    thumbnail = rgb.resize(
        fit_within(rgb.size, THUMBNAIL_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0
    )
    return ProcessedImage(
        image=encode_jpeg(rgb, IMAGE_QUALITY),
        thumbnail=encode_jpeg(thumbnail, THUMBNAIL_QUALITY),
        width=rgb.width,
        height=rgb.height,
        thumbnail_width=thumbnail.width,
        thumbnail_height=thumbnail.height,
        taken_at=taken_at_from_exif(exif) if exif is not None else None,
    )


def read_exif(im: Image.Image) -> Image.Exif | None:
    """The upload's EXIF, or None when it is malformed (a photo is not refused for that)."""
    try:
        exif = im.getexif()
        exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:
        return None
    return exif


def fit_within(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def to_rgb(im: Image.Image) -> Image.Image:
    """RGB, with any transparency flattened onto white (as the photo would look on a page)."""
    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if im.mode.startswith("I"):
        # 16-bit greyscale: scale down to 8 bits rather than clip everything to white.
        im = im.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return im.convert("RGB")


def to_srgb(im: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours as the camera meant them (iPhones shoot Display P3), in the sRGB we store."""
    if not icc_profile:
        return im
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if profile.profile.xcolor_space.strip() != "RGB":
            return im
        if "sRGB" in ImageCms.getProfileDescription(profile):
            return im
        return ImageCms.profileToProfile(im, profile, SRGB_PROFILE, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken profile costs some colour accuracy, not the photo.
        return im


def encode_jpeg(im: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def taken_at_from_exif(exif: Image.Exif) -> datetime | None:
    try:
        tags = exif.get_ifd(ExifTags.IFD.Exif)
        moment = datetime.strptime(
            str(tags[ExifTags.Base.DateTimeOriginal]).strip("\x00 "), "%Y:%m:%d %H:%M:%S"
        )
    except (KeyError, ValueError, TypeError):
        return None
    offset = tags.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str) and len(offset := offset.strip("\x00 ")) == 6:
        try:
            sign = -1 if offset[0] == "-" else 1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        except ValueError:
            return moment
        return moment.replace(tzinfo=zone)
    return moment


def refuse_trailing_data(fileobj: BinaryIO) -> None:
    """Refuse a PNG, WebP or HEIF file with anything after its last chunk or box.

    Such a file is often a polyglot (an image that is also HTML or a script). JPEG is let
    through: phones append legitimate data after the first image (MPO frames, maker trailers),
    and nothing of the upload is ever served anyway.
    """
    head = fileobj.read(16)
    fileobj.seek(0, io.SEEK_END)
    total = fileobj.tell()
    if head.startswith(PNG_SIGNATURE):
        end = png_end(fileobj)
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        end = 8 + struct.unpack("<I", head[4:8])[0]
    elif head[4:8] == b"ftyp":
        end = iso_boxes_end(fileobj, total)
    else:
        return
    if end != total:
        raise ImageRejected(TRAILING_DATA if end < total else DAMAGED)


def png_end(fileobj: BinaryIO) -> int:
    """Where the IEND chunk ends, walking chunk headers without reading their data."""
    fileobj.seek(len(PNG_SIGNATURE))
    while True:
        header = fileobj.read(8)
        if len(header) < 8:
            raise ImageRejected(DAMAGED)
        length, kind = struct.unpack(">I4s", header)
        fileobj.seek(length + 4, io.SEEK_CUR)
        if kind == b"IEND":
            return fileobj.tell()


def iso_boxes_end(fileobj: BinaryIO, total: int) -> int:
    """Where the last top-level ISO BMFF box (HEIF) ends; junk after it reads as a bad box."""
    position = 0
    while position < total:
        fileobj.seek(position)
        header = fileobj.read(16)
        if len(header) < 8:
            raise ImageRejected(TRAILING_DATA)
        size = struct.unpack(">I", header[:4])[0]
        if size == 1 and len(header) == 16:
            size = struct.unpack(">Q", header[8:16])[0]
        elif size == 0:
            size = total - position
        if size < 8 or position + size > total:
            raise ImageRejected(TRAILING_DATA)
        position += size
    return position
