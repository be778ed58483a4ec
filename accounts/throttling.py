def login_username(request, credentials):
    """The name django-axes counts failures under: the email in one case only, so that
    'Alice@' and 'alice@' share one counter, and cleaned of what no database column takes."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.replace("\x00", "").strip().lower()[:254]
