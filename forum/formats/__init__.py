"""Date and number formats per language (FORMAT_MODULE_PATH).

Templates ask for a format by name (``|date:"DATE_FORMAT"``) and each language
gives its own order: "27. november 2026 kl. 14:05" in Norwegian, "27 November 2026,
14:05" in (British) English. Anything not set here falls back to Django's own locale
formats for the language.
"""
