"""The public catalog pages: /drills/ and /drills/<slug>/."""

import re

from django.urls import reverse

from exercises.models import Drill, Stage
from exercises.revision import catalog_changed
from tests.conftest import queries, text


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


# The queries of each page when it is built; from the cache, none (the shared cache's own are left
# out: see tests.conftest.queries). Signed in, the session and its person come first, and the
# catalog reads the tracks the person follows.
CATALOG = [
    "select exercises_track",
    "select exercises_stage",  # each track's stages, with their drills
    "select exercises_drill",  # the stand-alone drills
    "select exercises_equipment",  # theirs
]
DRILL_PAGE = [
    "select exercises_drill",
    "select exercises_equipment",
    "select exercises_stage",  # the drill's stages, with their tracks
    "select exercises_stage",  # the stages either side
]
SIGNED_IN = ["select accounts_user"]  # the session itself comes from the cache


def test_catalog_pages_run_a_fixed_number_of_queries_built_or_cached(client, catalog, alice):
    catalog_changed()
    for url, built in [("/drills/", CATALOG), ("/drills/supine-leg-lift/", DRILL_PAGE)]:
        assert [queries(client, url), queries(client, url)] == [built, []], url
    client.force_login(alice)
    assert [queries(client, "/drills/"), queries(client, "/drills/")] == [
        SIGNED_IN + ["select progress_followedtrack"] + CATALOG,
        SIGNED_IN,
    ]


def test_a_drill_page_is_kept_once_for_everyone_signed_in(client, catalog, alice, bob):
    catalog_changed()
    client.force_login(alice)
    assert queries(client, "/drills/toe-tap/") == SIGNED_IN + DRILL_PAGE
    client.force_login(bob)
    assert queries(client, "/drills/toe-tap/") == SIGNED_IN


def test_addresses_with_made_up_query_strings_share_one_kept_page(client, catalog):
    catalog_changed()
    assert queries(client, "/drills/") == CATALOG
    for n in range(5):
        assert queries(client, f"/drills/?utm_source={n}") == []


def test_an_emptied_cache_keeps_the_catalog_revision(client, catalog):
    from django.core.cache import cache

    from exercises import revision

    catalog_changed()
    assert queries(client, "/drills/") == CATALOG
    cache.delete(revision.KEY)  # as when the cache culls or evicts it
    # The token comes back from its database row, and the kept page is still good.
    assert queries(client, "/drills/") == ["select exercises_catalogrevision"]
    assert queries(client, "/drills/") == []


def test_catalog_page_query_count_does_not_grow_with_the_catalog(client, catalog):
    track = Stage.objects.first().track
    for position in range(10, 30):
        Stage.objects.create(
            track=track, position=position, drill=Drill.objects.get(slug="toe-tap"),
            target_sets=1, target_seconds=30,
        )  # fmt: skip
    catalog_changed()
    assert queries(client, "/drills/") == CATALOG


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


def test_a_dose_no_source_gives_is_shown_as_a_starting_point(client, catalog, alice):
    assert "A starting point, not a prescription" in text(client.get("/drills/band-hurdle-hold/"))
    assert "A starting point, not a prescription" not in text(client.get("/drills/toe-tap/"))
    client.force_login(alice)
    assert "Starting point: 3 sets of 8 reps a side (adjust it" in text(
        client.get("/log/band-hurdle-hold/")
    )
    assert "Prescribed: 1 set of 30 s" in text(client.get("/log/toe-tap/"))
