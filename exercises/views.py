from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Drill, Stage, Track


@require_safe
def catalog(request):
    # Queries: tracks, their stages with drills, stand-alone drills, their equipment.
    tracks = Track.objects.with_stages()
    standalone = Drill.objects.standalone().with_equipment()
    return render(request, "exercises/catalog.html", {"tracks": tracks, "standalone": standalone})


@require_safe
def drill_detail(request, slug):
    # Queries: the drill, its equipment, its stages with tracks, the neighbouring stages.
    drill = get_object_or_404(Drill.objects.with_equipment(), slug=slug)
    placements = Stage.objects.placements_of(drill)
    return render(
        request, "exercises/drill_detail.html", {"drill": drill, "placements": placements}
    )
