import json

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import icons

THEME = "#1f5f5b"  # base.html's theme-color, the navigation bar's teal


# Asked again at every use (Cache-Control: no-cache): the manifest names the icons by their
# hashed names, which change with each release.
asked_again = cache_control(no_cache=True)


@asked_again
@require_safe
def manifest(request):
    """The web app manifest: what a phone needs to put Hipapp on its home screen."""
    data = {
        "id": reverse("today"),
        "name": "Hipapp: hip-flexor training",
        "short_name": "Hipapp",
        "description": "Hip-flexor drills, ladders from easy to hard, and a training log that "
        "works with no signal.",
        "lang": "en",
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": "#ffffff",
        "icons": [
            {
                "src": static(f"img/{name}"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "maskable" if maskable else "any",
            }
            for name, (size, maskable) in icons.names().items()
        ],
    }
    return HttpResponse(json.dumps(data, indent=1), content_type="application/manifest+json")
