"""The client's address behind a configured number of trusted reverse proxies."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The address of whoever sent the request.

    With ``TRUSTED_PROXY_HOPS = 0`` (the default: no proxy) it is ``REMOTE_ADDR`` and any
    ``X-Forwarded-For`` header is ignored (a client could write anything there). With ``n`` trusted
    proxies in front, each appends the address it received from, so the client is the ``n``-th
    address from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``; entries further left were
    written by the client and are not believed. Used by the login lockout (django-axes'
    ``AXES_CLIENT_IP_CALLABLE``) and the access log.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0) or 0)
    if hops <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()]
    if remote:
        chain.append(remote)
    if not chain:
        return None
    return chain[-(hops + 1)] if len(chain) > hops else chain[0]
