"""gunicorn settings: `gunicorn dfed.wsgi` reads this file from the working directory.

Responses name no server product (gunicorn would say ``Server: gunicorn``)."""

import gunicorn.http.wsgi

bind = "0.0.0.0:8000"


class _Response(gunicorn.http.wsgi.Response):
    def default_headers(self):
        return [h for h in super().default_headers() if not h.lower().startswith("server:")]


gunicorn.http.wsgi.Response = _Response
