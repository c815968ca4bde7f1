"""Photo processing speed: `python -m benchmarks.photos` (the first half of `make bench`).

For a 12-megapixel JPEG and a 12-megapixel HEIC, both generated here with a phone's EXIF
(orientation, GPS, date), it times the whole path from an upload to the stored image and
thumbnail (tracker.images.process_upload, then both files written through Django's storage
API, as the upload form does) against a floor measured in the same run and process: Pillow
decoding the same file at full size and encoding it once as JPEG, with no other work.

Each format runs in a fresh process, so that its peak memory (the process's high-water mark
of resident memory, interpreter and Django included) is its own. Prints one line per format.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from PIL import ExifTags, Image

SIZE = (4032, 3024)  # 12.2 megapixels, as most phones shoot
FLOOR_QUALITY = 85  # the quality the app stores at, so the floor encodes alike
GOAL_RATIO = {"jpeg": 1.0}
GOAL_PEAK_MB = 250
RUNS = {"jpeg": 11, "heic": 5}


@dataclass(frozen=True)
class Result:
    format: str
    median_ms: float
    floor_ms: float
    peak_mb: float
    upload_mb: float
    stored: tuple[int, int]
    runs: int

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_ms

    def line(self) -> str:
        return (
            f"{self.format} median_ms={self.median_ms:.1f} floor_ms={self.floor_ms:.1f} "
            f"ratio={self.ratio:.2f} peak_mb={self.peak_mb:.1f}"
            f"  ({self.upload_mb:.1f} MB upload, stored {self.stored[0]}x{self.stored[1]},"
            f" {self.runs} runs)"
        )


def phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Benchmark phone"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2025:06:01 08:30:00"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    return exif


def photo_like(size: tuple[int, int]) -> Image.Image:
    """Smooth shading, soft blotches and sensor grain: it compresses and decodes like a photo."""
    width, height = size
    shading = Image.linear_gradient("L").resize(size)
    blotches = Image.effect_noise((width // 48, height // 48), 50)
    blotches = blotches.resize(size, Image.Resampling.BICUBIC)
    # Enough grain for the 2.5 to 4 MB that phones write for 12 MP at high quality.
    grain = Image.effect_noise(size, 16)
    return Image.merge(
        "RGB",
        (
            Image.blend(shading, blotches, 0.45),
            Image.blend(blotches, grain, 0.35),
            Image.blend(shading, grain, 0.35),
        ),
    )


def make_uploads(directory: Path) -> dict[str, Path]:
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = photo_like(SIZE)
    paths = {"jpeg": directory / "IMG_0001.jpg", "heic": directory / "IMG_0002.heic"}
    image.save(paths["jpeg"], "JPEG", quality=90, exif=phone_exif())
    image.save(paths["heic"], "HEIF", quality=80, exif=phone_exif())
    return paths


def peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(kind: str, path: str, media_root: str, runs: int) -> Result:
    """In a fresh process: the app's path and the floor, alternately, on the same bytes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = media_root
    # A throwaway database beside the media: storing a photo notes its files in the database
    # (tracker.models.files), and a fresh clone has no migrated var/db.sqlite3.
    os.environ["DJANGO_VAR_DIR"] = str(Path(media_root).parent / "var")
    Path(os.environ["DJANGO_VAR_DIR"]).mkdir(exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracker.images import process_upload
    from tracker.models import ProgressPhoto

    data = Path(path).read_bytes()

    def app_path() -> ProgressPhoto:
        upload = SimpleUploadedFile(Path(path).name, data, content_type="image/jpeg")
        photo = ProgressPhoto()
        photo.attach(process_upload(upload))
        return photo

    def floor() -> None:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.save(io.BytesIO(), "JPEG", quality=FLOOR_QUALITY)

    # The first run is the one whose peak memory counts: nothing else has run in this process.
    first = app_path()
    peak = peak_rss_mb()
    stored = (first.width, first.height)
    first.delete_files()
    floor()
    timings: dict[str, list[float]] = {"app": [], "floor": []}
    for _ in range(runs):
        for name, work in (("floor", floor), ("app", app_path)):
            start = time.perf_counter()
            photo = work()
            timings[name].append((time.perf_counter() - start) * 1000)
            if photo is not None:
                photo.delete_files()
    return Result(
        format=kind,
        median_ms=statistics.median(timings["app"]),
        floor_ms=statistics.median(timings["floor"]),
        peak_mb=peak,
        upload_mb=len(data) / (1024 * 1024),
        stored=stored,
        runs=runs,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="timed runs per format (default 11 / 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="facetrack-bench-") as scratch:
        uploads = make_uploads(Path(scratch))
        media_root = Path(scratch) / "media"
        results = []
        for kind, path in uploads.items():
            # A fresh process per format: its peak memory is then its own.
            with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
                runs = args.runs or RUNS[kind]
                result = pool.submit(measure, kind, str(path), str(media_root), runs).result()
            print(result.line(), flush=True)
            results.append(result)
    for result in results:
        checks = [f"peak memory under {GOAL_PEAK_MB} MB: {meets(result.peak_mb < GOAL_PEAK_MB)}"]
        if result.format in GOAL_RATIO:
            goal = GOAL_RATIO[result.format]
            checks.insert(0, f"at most {goal:.1f}x the floor: {meets(result.ratio <= goal)}")
        print(f"goal {result.format}: " + "; ".join(checks))
    return 0


def meets(condition: bool) -> str:
    return "met" if condition else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
