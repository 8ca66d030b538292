"""The interface language: Indonesian unless the visitor chose English with the language switch.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``, so phones and office
PCs set up in English got English pages (and printed English boards) although nobody asked for
it. Here only an explicit choice counts: the language cookie that the switch in the header
(``/bahasa/``, Django's ``set_language``) sets. Without it every page is Indonesian
(``settings.LANGUAGE_CODE``). Responses therefore vary on ``Cookie``, not on ``Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language the visitor chose (the language cookie), else the default (Indonesian)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware:
    """Activates :func:`chosen_language` for the request; ``Accept-Language`` is ignored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if "Content-Language" not in response.headers:  # else the view chose its language itself
            patch_vary_headers(response, ("Cookie",))
            response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        return response
