from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from exercises.models import Drill, Track


@login_required
@require_safe
def today(request):
    # Queries: tracks with their stages and drills (2), stand-alone drills (1).
    tracks = Track.objects.with_stages()
    warmups = Drill.objects.standalone()
    return render(request, "progress/today.html", {"tracks": tracks, "warmups": warmups})
