"""Static files as whitenoise serves them in production, with one of Django's own switches on."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Compressed files with hashed names; the ES modules' `import ... from "./timer.js"` are
    rewritten to the hashed names too (Django's support_js_module_import_aggregation), so a
    release never runs a new player.js against an old timer.js kept in a browser's cache."""

    support_js_module_import_aggregation = True
