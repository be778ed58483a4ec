"""The installable app's server side (offline/): the manifest and the icons."""

import json
import struct
import zlib
from pathlib import Path

from django.contrib.staticfiles import finders

from offline import icons

ROOT_ICONS = icons.FOLDER


def png_size_and_corner(data: bytes):
    """(width, height) of a PNG we wrote, and the alpha of its top-left pixel."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    raw = zlib.decompress(data[start : start + length])
    return (width, height), raw[4]  # after the row's filter byte: r, g, b, a


def test_the_manifest_makes_an_app_that_starts_at_today(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["short_name"]) == ("Hipapp: hip-flexor training", "Hipapp")
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/today/",
        "/",
        "standalone",
    )
    assert manifest["theme_color"] == "#1f5f5b"  # base.html's theme-color
    assert manifest["background_color"] == "#ffffff"
    icons_by_purpose = {(i["sizes"], i["purpose"]): i["src"] for i in manifest["icons"]}
    assert set(icons_by_purpose) == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for (sizes, _), src in icons_by_purpose.items():
        found = finders.find(src.removeprefix("/static/"))
        size, _ = png_size_and_corner(Path(found).read_bytes())
        assert f"{size[0]}x{size[1]}" == sizes


def test_every_page_links_the_manifest_and_the_csp_allows_it(client, db):
    response = client.get("/")
    assert '<link rel="manifest" href="/manifest.webmanifest">' in response.content.decode()
    assert "manifest-src 'self'" in response["Content-Security-Policy"]
    assert "worker-src 'self'" in response["Content-Security-Policy"]


def test_the_icons_are_ours_drawn_by_offline_icons():
    """The committed PNGs are what `python -m offline.icons` draws (the small ones redrawn here;
    the large ones are the same drawing): the maskable ones fill their square, the others have
    the favicon's rounded corners."""
    for name, (size, maskable) in icons.names().items():
        data = (ROOT_ICONS / name).read_bytes()
        dimensions, corner_alpha = png_size_and_corner(data)
        assert dimensions == (size, size), name
        assert corner_alpha == (255 if maskable else 0), name
        if size == 192:
            assert data == icons.png(icons.draw(size, maskable)), f"{name}: run offline.icons"
