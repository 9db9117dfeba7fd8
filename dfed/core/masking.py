"""Masking of ID numbers, phones and bank accounts for lists and exports."""


def mask_id_number(value: str | None) -> str:
    """330199********1234: keep the area code and the last four."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_bank_account(value: str | None) -> str:
    """6228********1234: keep the bank prefix and the last four."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


MASKERS = {"id": mask_id_number, "phone": mask_phone, "bank": mask_bank_account}


def can_view_sensitive(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("people.view_sensitive"))


def sensitive(value: str | None, kind: str, user) -> str:
    """The full value for users with ``view_sensitive``, the masked one for everyone else."""
    if can_view_sensitive(user):
        return value or ""
    return MASKERS[kind](value)
