"""Names of the purposes an SMS is sent for (``SmsMessage.purpose``).

Domain apps send texts for their own reasons and notifications never imports them, so each app
registers the label of its purpose codes in ``AppConfig.ready()``; the outbox shows the label, or
the code itself for a purpose nobody registered.
"""

_LABELS: dict[str, str] = {}


def sms_purpose_register(code: str, label) -> None:
    """Name ``code`` (e.g. ``integrity_reminder`` → 廉洁过节提醒); ``label`` may be lazy."""
    _LABELS[code] = label


def sms_purpose_label(code: str) -> str:
    """The registered label of ``code`` in the active language, else ``code``."""
    label = _LABELS.get(code)
    return str(label) if label is not None else code
