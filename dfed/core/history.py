"""Saving with an audit trail (django-simple-history)."""


def save_with_history(instance, *, by, reason: str, update_fields=None) -> None:
    """Save ``instance`` recording who changed it and why in its history."""
    instance._history_user = by
    instance._change_reason = reason
    instance.save(update_fields=update_fields)
