"""Test images written on the spot by Pillow and pillow-heif: photos, and files posing as them."""

import io
import struct

import pillow_heif
from PIL import ExifTags, Image

pillow_heif.register_heif_opener()

GPS_LATITUDE = (51.0, 30.0, 26.0)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>Alice Example</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def two_tone(size: tuple[int, int] = (400, 300), left: str = "red", right: str = "blue"):
    """Left half one colour, right half another: shows which way an image was turned."""
    image = Image.new("RGB", size, left)
    image.paste(Image.new("RGB", (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return image


def camera_exif(
    orientation: int | None = None,
    taken: str | None = "2025:06:01 10:00:00",
    offset: str | None = None,
) -> Image.Exif:
    """EXIF as a phone writes it: maker, GPS position, date taken, and maybe an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone maker"
    exif[ExifTags.Base.Model] = "Phone 15"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if taken:
        details[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    return exif


def encode(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def jpeg(size: tuple[int, int] = (400, 300), exif: Image.Exif | None = None, **options) -> bytes:
    if exif is not None:
        options["exif"] = exif
    return encode(two_tone(size), "JPEG", quality=90, **options)


def phone_jpeg(size: tuple[int, int] = (400, 300), **exif_options) -> bytes:
    """A JPEG with everything a phone leaves in it: EXIF with GPS, XMP and a comment."""
    return jpeg(size, camera_exif(**exif_options), xmp=XMP, comment=b"Alice's bathroom")


def photo_like(size: tuple[int, int]) -> Image.Image:
    """Smooth shading plus grain: compresses and decodes like a real photo, not like noise."""
    width, height = size
    grain = Image.effect_noise(size, 10)
    shading = Image.linear_gradient("L").resize(size)
    blobs = Image.effect_noise((width // 64, height // 64), 60).resize(
        size, Image.Resampling.BICUBIC
    )
    return Image.merge(
        "RGB", (Image.blend(shading, blobs, 0.5), Image.blend(blobs, grain, 0.3), shading)
    )


def truncated_jpeg() -> bytes:
    data = encode(photo_like((640, 480)), "JPEG", quality=90)
    return data[: len(data) // 2]


def corrupt_png() -> bytes:
    """Chunks intact, compressed pixels scrambled: only decoding it shows the damage."""
    data = bytearray(encode(photo_like((200, 150)), "PNG"))
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    for index in range(start + length // 2, start + length // 2 + 40):
        data[index] ^= 0x5A
    return bytes(data)


def mpo(first: str = "red", second: str = "blue") -> bytes:
    frames = [Image.new("RGB", (320, 240), first), Image.new("RGB", (320, 240), second)]
    return encode(frames[0], "MPO", save_all=True, append_images=frames[1:])


def png(size: tuple[int, int] = (300, 200), mode: str = "RGB", **options) -> bytes:
    return encode(Image.new(mode, size), "PNG", **options)


def huge_png(size: tuple[int, int] = (20_000, 20_000)) -> bytes:
    """A real PNG of that many pixels; one bit each keeps writing it quick and small."""
    return encode(Image.new("1", size), "PNG")


def webp(size: tuple[int, int] = (300, 200), **options) -> bytes:
    return encode(two_tone(size), "WEBP", **options)


def heic(size: tuple[int, int] = (400, 300), **options) -> bytes:
    return encode(two_tone(size), "HEIF", quality=80, **options)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + b"".join(_s15(value) for value in values)


def swapped_primaries_profile() -> bytes:
    """A minimal ICC v2 RGB profile whose red and blue primaries are sRGB's blue and red.

    Pure red in such an image is, in fact, blue: only a real colour conversion shows it so.
    """
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    description = b"Swapped primaries\x00"
    gamma = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 0x0233) + b"\x00\x00"
    tags = {
        b"desc": b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(description))
        + description
        + b"\x00" * 4
        + b"\x00" * 4
        + b"\x00" * 3
        + b"\x00" * 67,
        b"wtpt": _xyz((0.9642, 1.0, 0.8249)),
        b"rXYZ": _xyz(blue),
        b"gXYZ": _xyz(green),
        b"bXYZ": _xyz(red),
        b"rTRC": gamma,
        b"gTRC": gamma,
        b"bTRC": gamma,
    }
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags.items():
        body += b"\x00" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"\x00" * 4
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 28
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
    )
    header += b"\x00" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + data
