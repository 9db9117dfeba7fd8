"""Benchmark: memory a web worker spends on a 49-megapixel photo upload (issue 14).

Each measurement runs in a fresh Python process (peak RSS above the process's baseline, with
minimal settings): ``dfed.core.images.image_thumbnail`` against the reference, Pillow's plain
``open → exif_transpose → thumbnail → convert`` on the same file. Target: about 200 MB for the
largest PNG the limits allow (7000 × 7000 RGBA, 49 MP; Pillow holds 4 bytes a pixel).

    make bench PYTEST_ARGS="-k images"
"""

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

pytestmark = pytest.mark.bench
ROOT = Path(__file__).resolve().parents[2]

MEASURE = """
import sys
from django.conf import settings
settings.configure(USE_I18N=False)  # only the image limits' defaults: a small, steady baseline
from PIL import Image, ImageOps
from dfed.core.images import image_thumbnail

def reference(f, content_type):
    image = ImageOps.exif_transpose(Image.open(f))
    image.thumbnail((320, 320), Image.Resampling.LANCZOS)
    return image.convert("RGB")

# VmHWM: this process image's peak RSS (ru_maxrss would count the parent's, before exec).
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

function = image_thumbnail if sys.argv[1] == "dfed" else reference
base = peak_kb()
with open(sys.argv[2], "rb") as f:
    function(f, "image/png")
print((peak_kb() - base) // 1024)
"""


def _peak_mb(which: str, path: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, which, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def test_bench_photo_thumbnail_memory(tmp_path):
    path = tmp_path / "big.png"
    image = Image.new("RGBA", (7000, 7000), (200, 100, 50, 128))
    ImageDraw.Draw(image).rectangle((100, 100, 3000, 3000), fill=(10, 20, 30, 255))
    image.save(path)
    del image
    ours, reference = _peak_mb("dfed", path), _peak_mb("reference", path)
    print(
        "\n49 MP RGBA PNG thumbnail, peak RSS above baseline: "
        f"dfed {ours} MB, Pillow plain {reference} MB"
    )
    assert ours <= 230
    assert ours < reference
