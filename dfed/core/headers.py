"""Response headers for personal data: no caching, no browser features the portal never uses."""

from django.conf import settings


class PrivacyHeadersMiddleware:
    """Every response but static files gets ``Cache-Control: no-store`` (pages, exports and
    downloads carry personal data: no browser or proxy keeps a copy) and a
    ``Permissions-Policy`` switching off what the portal never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
