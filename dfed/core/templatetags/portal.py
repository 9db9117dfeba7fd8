"""Template helpers: masked sensitive values, sortable column headers, role checks."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from dfed.core.masking import sensitive as _sensitive
from dfed.core.money import money_format
from dfed.core.months import month_label

register = template.Library()


@register.simple_tag(takes_context=True)
def sensitive(context, value, kind):
    """``{% sensitive person.id_number "id" %}``: masked unless the user may see it."""
    return _sensitive(value, kind, context["request"].user)


@register.simple_tag(takes_context=True)
def sort_header(context, field, label):
    """A column header that sorts by ``field`` and announces the current order."""
    request = context["request"]
    current = context.get("current_sort") or ""
    params = request.GET.copy()
    params.pop("page", None)
    if current == field:
        params["sort"], arrow, state = f"-{field}", "▲", _("升序")
    elif current == f"-{field}":
        params["sort"], arrow, state = field, "▼", _("降序")
    else:
        params["sort"], arrow, state = field, "", ""
    label_text = format_html('{} <span aria-hidden="true">{}</span>', label, arrow)
    if state:
        label_text = format_html('{}<span class="visually-hidden">（{}）</span>', label_text, state)
    return format_html('<a href="?{}" class="sort-link">{}</a>', params.urlencode(), label_text)


@register.filter
def month(value):
    return month_label(value)


@register.filter
def has_perm(user, perm):
    return user.has_perm(perm)


@register.filter
def money(value, unit="元"):
    """``{{ amount|money }}`` → 82,400.00 元; ``{{ amount|money:"" }}`` → 82,400.00 (for a
    column whose header already says 元)."""
    return money_format(value, unit=bool(unit))


@register.simple_tag
def language_choices():
    """``settings.LANGUAGES`` as written there: each language named in its own language
    (中文, English), never translated (Django's ``get_available_languages`` would say 英语)."""
    from django.conf import settings

    return settings.LANGUAGES


@register.inclusion_tag("includes/history_panel.html", takes_context=True)
def history_panel(context, instance, limit=20):
    """``{% history_panel person %}``: each change with user, time, reason and field-level
    old → new (Chinese labels, display values, identifiers masked by the one rule)."""
    from dfed.core.history import history_entries

    return {"entries": history_entries(instance, viewer=context["request"].user, limit=limit)}


@register.simple_tag
def available_actions(obj, user):
    """``{% available_actions obj request.user as actions %}``: the pipeline steps the user may
    take on ``obj`` now (``StatusPipelineMixin.available_actions``)."""
    return obj.available_actions(user)


@register.simple_tag
def action_url(action, obj):
    """``{% action_url action obj %}``: the URL of a pipeline step for ``obj``."""
    return action.url(obj)


@register.filter
def status_colour(obj):
    """``text-bg-{{ obj|status_colour }}``: the Bootstrap colour of ``obj``'s status badge, from
    the model's ``STATUS_COLOURS`` (secondary when not listed)."""
    status = getattr(obj, getattr(obj, "STATUS_FIELD", "status"))
    return getattr(obj, "STATUS_COLOURS", {}).get(status, "secondary")


@register.inclusion_tag("includes/pipeline_actions.html", takes_context=True)
def pipeline_actions(context, obj, empty="", comment_label=""):
    """``{% pipeline_actions obj %}``: the buttons and links of the steps the user may take on
    ``obj`` now (``available_actions``); ``empty``: a line shown when there are none."""
    actions = [a for a in obj.available_actions(context["request"].user) if not a.on_rows]
    links = [a for a in actions if a.form]
    confirmed = [a for a in actions if not a.form and a.confirm]
    grouped = [a for a in actions if a not in links and a not in confirmed]
    labels = [a.comment_label for a in grouped if a.comment and a.comment_label]
    return {
        "obj": obj,
        "links": links,
        "confirmed": confirmed,
        "grouped": grouped,
        "comment": any(a.comment for a in grouped),
        "comment_label": comment_label or (labels[0] if labels else _("意见")),
        "empty": empty,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def action_available(obj, user, name):
    """``{% action_available batch request.user "hold" as can_hold %}``: whether
    ``available_actions`` offers the step ``name`` (for steps offered line by line)."""
    return any(a.name == name for a in obj.available_actions(user))
