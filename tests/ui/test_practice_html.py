"""The HTML report opened in headless Chromium: it renders, with the chart, and is not blank."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest
from practice_helpers import STRONG, WEAK, Env

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
GREEN = (0x1F, 0x8A, 0x4C)  # html_report's fill for a score >= 7
RED = (0xC0, 0x39, 0x2B)  # ... and for a score < 4


def read_png(path: Path) -> tuple[int, int, list[tuple[int, ...]]]:
    """(width, height, pixels) of an 8-bit RGB or RGBA PNG, non-interlaced (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat, header = 8, b"", None
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    pixels = [tuple(row[x:x + 3]) for row in rows for x in range(0, stride, channels)]
    return width, height, pixels


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium; .ci/run does)")
def test_html_report_renders_in_chromium(tmp_path):
    env = Env(tmp_path)
    result = env.drill_round({"lru-cache": STRONG["lru-cache"], "rate-limiter": WEAK["rate-limiter"] + " <script>",
                              "top-k": "heap of size k"})
    page = tmp_path / "report.html"
    done = env.run("report", result["session_id"], "--format", "html", "--output", str(page))
    assert done.returncode == 0, done.stderr
    shot = tmp_path / "report.png"
    profile = tmp_path / "chromium-profile"
    browser = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
         "--window-size=1200,1600", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert shot.exists(), browser.stderr[-2000:]
    assert shot.stat().st_size > 20_000
    width, height, pixels = read_png(shot)
    assert (width, height) == (1200, 1600)
    colours = Counter(pixels)
    assert len(colours) > 50, "the screenshot is (nearly) one colour"
    assert colours.most_common(1)[0][1] < 0.95 * len(pixels)
    assert colours[GREEN] > 2_000, "the green bar (10/10) is missing"  # a solid bar, not just a tick mark
    assert colours[RED] > 10, "the red ✗ marks are missing"
