from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from hipapp import pagecache

from .models import Drill, Stage, Track


@require_safe
def catalog(request):
    return pagecache.page(request, timezone.localdate(), lambda: catalog_body(request.user))


def catalog_body(user):
    # Queries: tracks, their stages with drills, stand-alone drills, their equipment.
    # Signed in: one more query, for the tracks the person follows.
    following = set()
    if user.is_authenticated:
        from progress.models import FollowedTrack

        following = set(
            FollowedTrack.objects.for_user(user).following().values_list("track_id", flat=True)
        )
    return "exercises/catalog.html", {
        "title": "Drill catalog",
        "description": "Every Hipapp hip-flexor drill: progression tracks from easy to hard, "
        "plus stand-alone mobility work for warm-ups and off days.",
        "tracks": Track.objects.with_stages(),
        "standalone": Drill.objects.standalone().with_equipment(),
        "following": following,
    }


@require_safe
def drill_detail(request, slug):
    return pagecache.page(request, timezone.localdate(), lambda: drill_detail_body(slug))


def drill_detail_body(slug):
    # Queries: the drill, its equipment, its stages with tracks, the neighbouring stages.
    drill = get_object_or_404(Drill.objects.with_equipment(), slug=slug)
    return "exercises/drill_detail.html", {
        "title": drill.name,
        "description": drill.summary,
        "drill": drill,
        "placements": Stage.objects.placements_of(drill),
    }
