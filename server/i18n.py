"""Language choice for pages: ?lang=, then the cookie, then the browser's wish."""

from __future__ import annotations

from flask import g, request

from server.config import LANGUAGES, RTL_LANGUAGES

LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "ku": "Kurdî (Kurmancî)",
    "ckb": "کوردی (سۆرانی)",
}
STAFF_LANGUAGES = ("de", "en")


def select_locale() -> str:
    forced = getattr(g, "language", None)
    if forced in LANGUAGES:
        return forced
    wanted = request.args.get("lang") or request.cookies.get("lang")
    if wanted in LANGUAGES:
        return wanted
    return request.accept_languages.best_match(LANGUAGES) or "de"


def is_rtl(language: str) -> bool:
    """Is the language written right to left (Arabic, Sorani)?"""
    return language in RTL_LANGUAGES


def text_direction(language: str) -> str:
    """The `dir` attribute for text in this language: the one place that chooses it."""
    return "rtl" if is_rtl(language) else "ltr"
