"""The portal's language: Chinese unless the user picked English with the language switch."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware without the browser's Accept-Language.

    The language is the one remembered in the language cookie (set by the switch in the header,
    ``django.views.i18n.set_language``), else ``settings.LANGUAGE_CODE`` (zh-hans), whatever the
    browser asks: staff share machines whose browsers are often set up in English.
    """

    def process_request(self, request):
        try:
            language = translation.get_supported_language_variant(
                request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
            )
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class BadParameterMiddleware:
    """A malformed or out-of-range value in a URL or query string gives 400/404, never 500.

    Views parse ``year``, ``month``, ``page`` and ids themselves; a value that slips through
    (``?year=0`` → ``date(0, 1, 1)``, an id beyond PostgreSQL's integer range) raises
    ``ValueError``/``OverflowError``/``ValidationError`` or a database ``DataError`` while
    reading. For a GET or HEAD request such an error is the caller's: Django's 400 page
    (``templates/400.html``, in Chinese) for a bad value, its 404 page for an id that cannot
    exist. Writes (POST) keep their own error handling. Each case is logged as a warning.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import logging

        from django.core.exceptions import BadRequest, ValidationError
        from django.db import DataError
        from django.http import Http404

        if request.method not in ("GET", "HEAD"):
            return None
        if isinstance(exception, DataError):
            logging.getLogger("dfed.request").warning(
                "bad parameter %s: %s", request.get_full_path(), exception
            )
            raise Http404(str(exception)) from exception
        if isinstance(exception, (ValueError, OverflowError, ValidationError)):
            logging.getLogger("dfed.request").warning(
                "bad parameter %s: %r", request.get_full_path(), exception
            )
            raise BadRequest(str(exception)) from exception
        return None
