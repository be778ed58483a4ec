from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Drill, Stage, Track


@require_safe
def catalog(request):
    # Queries: tracks, their stages with drills, stand-alone drills, their equipment.
    # Signed in: one more query, for the tracks the person follows.
    tracks = Track.objects.with_stages()
    standalone = Drill.objects.standalone().with_equipment()
    following = set()
    if request.user.is_authenticated:
        from progress.models import FollowedTrack

        following = set(
            FollowedTrack.objects.for_user(request.user)
            .following()
            .values_list("track_id", flat=True)
        )
    return render(
        request,
        "exercises/catalog.html",
        {"tracks": tracks, "standalone": standalone, "following": following},
    )


@require_safe
def drill_detail(request, slug):
    # Queries: the drill, its equipment, its stages with tracks, the neighbouring stages.
    drill = get_object_or_404(Drill.objects.with_equipment(), slug=slug)
    placements = Stage.objects.placements_of(drill)
    return render(
        request, "exercises/drill_detail.html", {"drill": drill, "placements": placements}
    )
