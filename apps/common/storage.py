"""Static files storage of production (DEBUG off)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedModulesStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed files, with the `import ... from "./x.js"` lines of ES modules rewritten to the
    hashed names too (Django's js module support). A deploy then never mixes old and new modules out of the browser
    cache, without the inline import map that did this before and that a strict Content-Security-Policy refuses."""

    support_js_module_import_aggregation = True
