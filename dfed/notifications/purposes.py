"""Labels of SMS purposes: the app that queues a purpose registers its Chinese label in
``AppConfig.ready()`` (notifications never imports domain apps)."""

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, object] = {"sms_test": _("测试短信")}


def sms_purpose_register(code: str, label) -> None:
    """Register the label shown in the outbox for ``code`` (a lazy translation string)."""
    _LABELS[code] = label


def purpose_label(code: str) -> str:
    """The registered label of ``code``, else the code itself."""
    return str(_LABELS.get(code, code))


def purpose_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in _LABELS.items()), key=lambda c: c[1])
