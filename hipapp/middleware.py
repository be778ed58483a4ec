from django.conf import settings
from django.utils.cache import patch_cache_control


def headers(get_response):
    """Two headers Django has no setting for.

    - Permissions-Policy (settings.PERMISSIONS_POLICY): browser features no page of ours uses
      are switched off, so nothing injected or embedded can ask for them.
    - Cache-Control: private, no-store on every answer to a browser with a session (everyone
      signed in), so that no shared proxy and no browser disk keeps a person's pages or
      exports. Judged by the cookie alone, which costs no query.
    """
    policy = ", ".join(
        f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
    )

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", policy)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
