"""The public catalog pages: /drills/ and /drills/<slug>/."""

import re

from django.urls import reverse

from exercises.models import Drill, Stage
from exercises.revision import catalog_changed
from tests.test_progress import count_queries


def text(response):
    """The page's visible text, tags stripped and white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_catalog_lists_tracks_with_their_stages_in_order(client, catalog):
    response = client.get("/drills/")
    assert response.status_code == 200
    page = text(response)
    positions = [
        page.index(name)
        for name in [
            "Band hurdle hold",
            "Side plank with hip flexion",
            "Banded mountain climber",
            "Hanging hip flexion",
        ]
    ]
    assert positions == sorted(positions)
    assert "Hip flexion ladder" in page and "Psoas control" in page


def test_catalog_shows_stand_alone_drills_as_warm_ups(client, catalog):
    page = text(client.get("/drills/"))
    warmups = page[page.index("Warm-ups and off-day mobility") :]
    for drill in Drill.objects.standalone():
        assert drill.name in warmups


def test_drill_page_shows_everything_needed_to_do_the_drill(client, catalog):
    drill = Drill.objects.get(slug="band-hurdle-hold")
    page = text(client.get(drill.get_absolute_url()))
    for heading in ["Steps", "Coaching cues", "Common mistakes", "Safety", "Dose", "Equipment"]:
        assert heading in page
    assert drill.step_list[0] in page
    assert drill.safety_list[0] in page
    assert "3 sets of 8 reps a side" in page
    assert "Mini band" in page
    assert (
        f"<title>{drill.name} · Hipapp</title>"
        in client.get(drill.get_absolute_url()).content.decode()
    )


def test_drill_page_places_the_drill_in_its_track_with_previous_and_next(client, catalog):
    page = text(client.get("/drills/side-plank-hip-flexion/"))
    assert "Stage 2 of 4 in Hip flexion ladder" in page
    assert "Previous stage: Band hurdle hold" in page
    assert "Next stage: Banded mountain climber" in page


def test_first_and_last_stage_say_where_the_track_starts_and_ends(client, catalog):
    assert "This is where the track starts" in text(client.get("/drills/band-hurdle-hold/"))
    assert "This is the top of the track" in text(client.get("/drills/hanging-hip-flexion/"))


def test_stand_alone_drill_page_says_how_to_use_it(client, catalog):
    assert "A stand-alone drill" in text(client.get("/drills/under-bar-mobility/"))


def test_unknown_drill_is_a_friendly_404(client, catalog):
    response = client.get("/drills/no-such-drill/")
    assert response.status_code == 404
    assert "We could not find that page" in text(response)


def test_user_text_is_escaped_on_the_page(client, catalog):
    Drill.objects.filter(slug="toe-tap").update(summary="<script>alert(1)</script>")
    html = client.get("/drills/toe-tap/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Built: the cache read (1), the page's own queries, the cache write (5: count, savepoint,
# look-up, insert, release). The catalog's own: tracks, their stages with drills, stand-alone
# drills, their equipment (4); a drill's: the drill, its equipment, its stages with tracks, the
# stages of those tracks (4). Signed in, the session with its person (1), and on the catalog
# the tracks the person follows (1). From the cache: the cache read, and the session (1 + 1).
CATALOG_BUILT, CATALOG_CACHED = 1 + 4 + 5, 1


def test_catalog_pages_run_a_fixed_number_of_queries_built_or_cached(client, catalog, alice):
    catalog_changed()
    for url in ["/drills/", "/drills/supine-leg-lift/"]:
        assert [count_queries(client, url), count_queries(client, url)] == [
            CATALOG_BUILT,
            CATALOG_CACHED,
        ], url
    client.force_login(alice)
    assert [count_queries(client, "/drills/"), count_queries(client, "/drills/")] == [
        1 + CATALOG_BUILT + 1,
        1 + CATALOG_CACHED,
    ]


def test_catalog_page_query_count_does_not_grow_with_the_catalog(client, catalog):
    track = Stage.objects.first().track
    for position in range(10, 30):
        Stage.objects.create(
            track=track, position=position, drill=Drill.objects.get(slug="toe-tap"),
            target_sets=1, target_seconds=30,
        )  # fmt: skip
    catalog_changed()
    assert count_queries(client, "/drills/") == CATALOG_BUILT


def test_every_page_has_a_title_description_and_favicon(client, catalog):
    for url in ["/", "/drills/", "/drills/toe-tap/"]:
        html = client.get(url).content.decode()
        assert re.search(r"<title>[^<]+ · Hipapp</title>", html), url
        assert '<meta name="description" content="' in html, url
        assert 'rel="icon"' in html, url
        assert 'name="viewport"' in html, url


def test_landing_page_links_to_the_catalog(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'href="/drills/"' in response.content.decode()


def test_visitors_browse_the_catalog_without_being_handed_cookies(client, catalog):
    for url in ["/drills/", "/drills/supine-leg-lift/"]:
        for _ in range(2):  # built, then from the cache
            response = client.get(url)
            assert response.status_code == 200 and not response.cookies, url
