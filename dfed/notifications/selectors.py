from django.db.models import Count, Q

from .models import SmsMessage, SmsOptOut


def sms_message_list():
    return SmsMessage.objects.all()


def sms_status_counts(queryset=None) -> dict[str, int]:
    """{status: count} for every status (zeros included)."""
    queryset = SmsMessage.objects.all() if queryset is None else queryset
    counts = dict(
        queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in SmsMessage.Status.values}


def sms_counts_by_campaign(refs: list[str]) -> dict[str, dict[str, int]]:
    """{campaign ref: {status: count}} for the given campaign references."""
    result: dict[str, dict[str, int]] = {ref: {} for ref in refs}
    rows = (
        SmsMessage.objects.filter(campaign__in=refs)
        .order_by()
        .values_list("campaign", "status")
        .annotate(n=Count("pk"))
    )
    for ref, status, n in rows:
        result[ref][status] = n
    return result


def sms_opt_out_list():
    return SmsOptOut.objects.all()


PROGRESS_KEYS = ("queued", "sending", "sent", "delivered", "failed", "opted_out")


def _progress(counts: dict[str, int]) -> dict:
    result = {key: counts.get(key, 0) for key in PROGRESS_KEYS}
    result["total"] = sum(result.values())
    result["unsettled"] = result["queued"] + result["sending"]
    result["done"] = result["total"] - result["unsettled"]
    result["settled"] = result["unsettled"] == 0
    return result


def sms_progress_by_campaign(refs: list[str]) -> dict[str, dict]:
    """{campaign ref: {queued, sending, sent, delivered, failed, opted_out, total, unsettled,
    settled}}: 'sending' is a queued message with an attempt under way or in doubt."""
    raw: dict[str, dict[str, int]] = {ref: {} for ref in refs}
    rows = (
        SmsMessage.objects.filter(campaign__in=refs)
        .order_by()
        .values_list("campaign", "status")
        .annotate(
            n=Count("pk"),
            busy=Count("pk", filter=Q(in_progress=True, status=SmsMessage.Status.QUEUED)),
        )
    )
    for ref, status, n, busy in rows:
        raw[ref][status] = raw[ref].get(status, 0) + n - busy
        if busy:
            raw[ref]["sending"] = raw[ref].get("sending", 0) + busy
    return {ref: _progress(counts) for ref, counts in raw.items()}


def sms_progress(queryset=None) -> dict:
    """The same counts as ``sms_progress_by_campaign`` over any set of messages."""
    queryset = SmsMessage.objects.all() if queryset is None else queryset
    counts = sms_status_counts(queryset)
    busy = queryset.filter(status=SmsMessage.Status.QUEUED, in_progress=True).count()
    counts["queued"] -= busy
    counts["sending"] = busy
    return _progress(counts)
