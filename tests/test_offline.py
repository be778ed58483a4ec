"""The installable app's server side (offline/): the manifest and icons, the service worker and
the lists it keeps, the offline page, whose page is whose, sending "Log as prescribed" later,
and what sign-out tells the browser to drop. The worker itself: test_browser_offline.py."""

import json
import re
import struct
import zlib
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, staticfiles_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from hipapp.storage import StaticFilesStorage
from offline import icons, keep
from offline.keep import person_key
from tests.conftest import PASSWORD, follow, queries, text

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


def test_the_worker_is_served_from_the_root_and_never_kept_long(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert script.startswith("// Hipapp's service worker")
    assert 'importScripts("/offline/files.js")' in script
    for event in ("push", "notificationclick", "install", "activate", "fetch", "sync", "message"):
        assert f'addEventListener("{event}"' in script, event


def worker_files(client) -> dict:
    response = client.get("/offline/files.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    found = re.search(r"self\.HIPAPP_KEEP = (\{.*\});", response.content.decode(), re.S)
    return json.loads(found.group(1))


def test_the_worker_keeps_the_files_every_page_uses(client, db):
    kept = worker_files(client)
    assert kept["offline"] == "/offline/"
    page = client.get("/drills/").content.decode()
    used = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page))
    assert used and used <= set(kept["files"])
    for name in ("js/player.js", "js/timer.js", "js/offline.js", "js/log.js", "css/hipapp.css"):
        assert f"/static/{name}" in kept["files"]
    assert "/static/sw.js" not in kept["files"]
    assert "/manifest.webmanifest" in kept["files"]


class HashedOnly(StaticFilesStorage):
    """Production's storage without the compressed copies (brotli takes most of a minute)."""

    def post_process(self, *args, **kwargs):
        yield from ManifestStaticFilesStorage.post_process(self, *args, **kwargs)


def test_in_production_the_worker_keeps_the_hashed_names(tmp_path, settings, db):
    """collectstatic with the production storage, then the names the worker keeps are the ones
    in its manifest (staticfiles.json), which ES modules' imports are rewritten to as well.
    (Changing the settings gives staticfiles_storage the new storage, and back after.)"""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {"staticfiles": {"BACKEND": f"{__name__}.HashedOnly"}}
    keep._static_files.cache_clear()
    try:
        call_command("collectstatic", "--no-input", "--ignore", "admin", verbosity=0)
        staticfiles_storage.load_manifest()
        hashed = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        _, files = keep.static_files()
        assert f"/static/{hashed['js/offline.js']}" in files
        assert f"/static/{hashed['bootstrap/css/bootstrap.min.css']}" in files
        assert "/static/js/offline.js" not in files
        player = (tmp_path / hashed["js/player.js"]).read_text()
        assert f'from "./{hashed["js/offline.js"].split("/")[-1]}"' in player
        for url in files[:-1]:  # every static file kept exists under its hashed name
            assert (tmp_path / url.removeprefix("/static/")).is_file(), url
    finally:
        keep._static_files.cache_clear()


def test_the_offline_page_says_what_works_offline_to_anyone(client, alice):
    client.force_login(alice)
    response = client.get("/offline/")
    assert response.status_code == 200
    page = text(response)
    assert "No connection" in page and "What works offline" in page
    for works in ("Today", "Today's session", "Logging the drills", "drill catalog"):
        assert works in page, works
    html = response.content.decode()
    assert "Sign out" not in html and alice.email not in html and "Alice" not in html


def test_a_page_kept_by_the_worker_leaves_messages_for_the_page_the_person_opens(client, alice):
    client.force_login(alice)
    client.post("/red-flags/read/", {"red_flags": "on"})
    kept = client.get("/red-flags/", HTTP_HIPAPP_KEEP="1")
    assert "You can follow tracks now" not in kept.content.decode()
    shown = client.get("/red-flags/")
    assert "You can follow tracks now" in shown.content.decode()
    assert "You can follow tracks now" not in client.get("/red-flags/").content.decode()


def test_pages_name_the_person_they_were_made_for(client, catalog, alice, bob):
    assert "Hipapp-Person" not in client.get("/drills/")
    client.force_login(alice)
    for url in ("/today/", "/drills/", "/drills/toe-tap/", "/red-flags/"):
        assert client.get(url)["Hipapp-Person"] == person_key(alice), url
    assert "Hipapp-Person" not in client.get("/manifest.webmanifest")
    client.force_login(bob)
    assert client.get("/drills/")["Hipapp-Person"] == person_key(bob) != person_key(alice)
    assert re.fullmatch(r"[0-9a-f]{16}", person_key(alice))


def test_the_worker_hears_what_to_keep_for_the_person(client, catalog, alice):
    today = timezone.localdate(timezone=alice.zone)
    follow(alice, "psoas-control", today)
    follow(alice, "lumbopelvic-control", today)
    left = follow(alice, "hip-flexion-ladder", today)
    left.state = "left"
    left.save()
    client.force_login(alice)
    response = client.get("/offline/pages/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    kept = response.json()
    assert kept["person"] == person_key(alice)
    assert kept["csrf"]
    assert kept["pages"][:5] == [
        "/today/",
        "/today/session/",
        "/drills/",
        "/log/back-flattening/",
        "/log/toe-tap/",
    ]
    assert len([p for p in kept["pages"] if p.startswith("/drills/") and p != "/drills/"]) == 13
    assert kept["drills"]["toe-tap"] == "Toe tap"
    for page in kept["pages"]:
        assert client.get(page).status_code == 200, page


def test_what_to_keep_costs_two_queries_and_needs_a_sign_in(client, catalog, alice):
    assert client.get("/offline/pages/")["Location"].startswith("/accounts/login/")
    follow(alice, "psoas-control", timezone.localdate(timezone=alice.zone))
    client.force_login(alice)
    client.get("/offline/pages/")  # the process's catalog copy is built
    # The signed-in person (the session comes from the cache), the tracks followed.
    assert queries(client, "/offline/pages/") == [
        "select accounts_user",
        "select progress_followedtrack",
    ]


def test_signing_out_tells_the_browser_to_drop_what_it_kept(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_deleting_the_account_tells_the_browser_to_drop_what_it_kept(client, alice):
    client.force_login(alice)
    response = client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_worker_and_its_lists_are_for_anyone(db):
    visitor = Client()
    for url in ("/sw.js", "/offline/files.js", "/manifest.webmanifest", "/offline/"):
        assert visitor.get(url).status_code == 200, url


def test_the_worker_and_its_files_answer_304_until_they_change(client, db):
    for url in ("/sw.js", "/offline/files.js"):
        first = client.get(url)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert (again.status_code, again["Cache-Control"]) == (304, "no-cache"), url
