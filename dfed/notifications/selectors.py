from django.db.models import Count

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
