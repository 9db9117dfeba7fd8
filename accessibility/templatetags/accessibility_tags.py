"""Status badges and progress for the accessibility templates."""

from django import template
from django.utils.html import format_html

register = template.Library()

BADGES = {
    "applied": "secondary",
    "assessment": "info",
    "approval": "warning",
    "construction": "primary",
    "acceptance": "primary",
    "completed": "success",
    "returned": "danger",
    "terminated": "dark",
    "declared": "secondary",
    "building": "primary",
    "passed": "success",
    "failed": "danger",
    "pending": "secondary",
    "in_progress": "warning",
    "done": "success",
}


@register.simple_tag
def status_badge(value, label):
    """``{% status_badge obj.status obj.get_status_display %}``."""
    colour = BADGES.get(value, "secondary")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)


@register.filter
def percent(done, total):
    try:
        return round(int(done) * 100 / int(total)) if int(total) else 0
    except (TypeError, ValueError):
        return 0
