"""The app's icons, drawn from the favicon's shapes (static/img/favicon.svg) in plain Python.

    .venv/bin/python -m offline.icons

writes static/img/icon-192.png and icon-512.png (the rounded square, for launchers that show
icons as they are) and icon-maskable-192.png and icon-maskable-512.png (full bleed, the
drawing inside the middle 80% circle that every launcher's mask keeps). The PNGs are
committed; nothing runs at request time. No imaging library: each pixel's coverage comes from
its distance to the shapes, which is also what smooths their edges.
"""

import math
import struct
import zlib
from itertools import pairwise
from pathlib import Path

TEAL = (0x1F, 0x5F, 0x5B)
YELLOW = (0xF4, 0xD3, 0x5E)
WHITE = (0xFF, 0xFF, 0xFF)

# The favicon, in its own 64-unit square: the background's corner radius, the rising line
# (a stroke 6 wide with round ends and joins) and the dot at its top.
CORNER = 14
LINE = [(18, 48), (28, 30), (40, 36), (46, 16)]
LINE_WIDTH = 6
DOT, DOT_RADIUS = (46, 14), 5
# Where the drawing sits on a maskable icon: the middle of its line and dot, scaled so that
# every corner of their bounding box lies inside the safe circle (radius 40% of the icon).
DRAWING_BOX = (15, 9, 51, 51)
SAFE = 0.36  # of the icon's size, a margin inside the 0.4 circle

SIZES = (192, 512)
FOLDER = Path(__file__).resolve().parent.parent / "static" / "img"


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def rounded_square_distance(px, py, size, radius):
    """Signed distance to a size x size square with rounded corners (negative inside)."""
    half = size / 2
    qx = abs(px - half) - (half - radius)
    qy = abs(py - half) - (half - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def coverage(distance):
    """How much of a pixel a shape covers, from the signed distance at its centre."""
    return max(0.0, min(1.0, 0.5 - distance))


def over(pixel, colour, alpha):
    """Paint colour at alpha over a premultiplied (r, g, b, a) pixel."""
    r, g, b, a = pixel
    keep = 1 - alpha
    return (
        colour[0] * alpha + r * keep,
        colour[1] * alpha + g * keep,
        colour[2] * alpha + b * keep,
        alpha + a * keep,
    )


def draw(size: int, maskable: bool) -> list[list[tuple]]:
    """Rows of (r, g, b, a) pixels."""
    if maskable:
        left, top, right, bottom = DRAWING_BOX
        half_diagonal = math.hypot(right - left, bottom - top) / 2
        scale = SAFE * size / half_diagonal
        shift_x = size / 2 - (left + right) / 2 * scale
        shift_y = size / 2 - (top + bottom) / 2 * scale
    else:
        scale, shift_x, shift_y = size / 64, 0.0, 0.0
    line = [(x * scale + shift_x, y * scale + shift_y) for x, y in LINE]
    dot = (DOT[0] * scale + shift_x, DOT[1] * scale + shift_y)
    rows = []
    for j in range(size):
        py = j + 0.5
        row = []
        for i in range(size):
            px = i + 0.5
            if maskable:
                pixel = (*TEAL, 1.0)
            else:
                edge = coverage(rounded_square_distance(px, py, size, CORNER * size / 64))
                pixel = over((0.0, 0.0, 0.0, 0.0), TEAL, edge)
            near = min(segment_distance(px, py, *a, *b) for a, b in pairwise(line))
            pixel = over(pixel, YELLOW, coverage(near - LINE_WIDTH / 2 * scale))
            circle = math.hypot(px - dot[0], py - dot[1]) - DOT_RADIUS * scale
            row.append(over(pixel, WHITE, coverage(circle)))
        rows.append(row)
    return rows


def png(rows) -> bytes:
    """An 8-bit RGBA PNG of premultiplied pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = bytearray()
    for row in rows:
        raw.append(0)  # no filter
        for r, g, b, a in row:
            if a == 0:
                raw += b"\0\0\0\0"
            else:
                raw += bytes(round(c / a) for c in (r, g, b)) + bytes([round(a * 255)])
    height, width = len(rows), len(rows[0])
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def names():
    """{file name: (size, maskable)} of every icon."""
    return {
        f"icon-{'maskable-' if maskable else ''}{size}.png": (size, maskable)
        for size in SIZES
        for maskable in (False, True)
    }


if __name__ == "__main__":
    for name, (size, maskable) in names().items():
        (FOLDER / name).write_bytes(png(draw(size, maskable)))
        print(f"static/img/{name}")
