from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from hipapp.pagecache import cached_page

from .models import Drill, Stage, Track


def catalog_context() -> dict:
    """The catalog page's tracks and stand-alone drills (progress.views.catalog shows them,
    with the tracks the person follows). Queries: tracks, their stages with drills,
    stand-alone drills, their equipment."""
    return {
        "title": "Drill catalog",
        "description": "Every Hipapp hip-flexor drill: progression tracks from easy to hard, "
        "plus stand-alone mobility work for warm-ups and off days.",
        "tracks": Track.objects.with_stages(),
        "standalone": Drill.objects.standalone().with_equipment(),
    }


@require_safe
@cached_page(shared=True)
def drill_detail(request, slug):
    # Queries: the drill, its equipment, its stages with tracks, the neighbouring stages.
    drill = get_object_or_404(Drill.objects.with_equipment(), slug=slug)
    return render(
        request,
        "exercises/drill_detail.html",
        {
            "title": drill.name,
            "description": drill.summary,
            "drill": drill,
            "placements": Stage.objects.placements_of(drill),
        },
    )
