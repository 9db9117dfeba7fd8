"""One masking rule: what a viewer may see of an ID number, certificate number, phone or bank
account.

Every page, form, export, JSON answer and docx asks :func:`reveal` (templates through the
``{% sensitive value "kind" %}`` tag of ``portal``); none decides for itself. Holders of
``people.view_sensitive`` get the full value, everyone else the masked form. Whoever renders full
values records that in the access log (``dfed.people.access``).
"""

from enum import StrEnum


class Sensitive(StrEnum):
    """The kinds of personal identifier the portal masks."""

    ID = "id"
    CERTIFICATE = "certificate"
    PHONE = "phone"
    BANK = "bank"


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


MASKERS = {
    Sensitive.ID: mask_id_number,
    Sensitive.CERTIFICATE: mask_id_number,
    Sensitive.PHONE: mask_phone,
    Sensitive.BANK: mask_bank_account,
}


def can_view_sensitive(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("people.view_sensitive"))


def mask(value: str | None, kind: Sensitive | str) -> str:
    """The masked form of ``value`` whoever looks."""
    return MASKERS[Sensitive(kind)](value)


def reveal(value: str | None, *, kind: Sensitive | str, viewer) -> str:
    """The full value for holders of ``people.view_sensitive``, else the masked form
    (330199********1234, 138****5678, 6228********1234)."""
    if can_view_sensitive(viewer):
        return value or ""
    return mask(value, kind)


def sensitive(value: str | None, kind: str, user) -> str:
    """:func:`reveal` with positional arguments (exports build rows with it)."""
    return reveal(value, kind=kind, viewer=user)


def is_masked_echo(submitted: str | None, stored: str | None, kind: Sensitive | str) -> bool:
    """Whether a form sent back the masked value it was shown (so the stored one stands)."""
    return bool(stored) and (submitted or "").strip() == mask(stored, kind)


class MaskedFormMixin:
    """A ModelForm that shows ``masked_fields`` ({field: kind}) masked to viewers without
    ``people.view_sensitive``: a masked value sent back unchanged keeps the stored value, a
    new full value replaces it. Pass ``viewer=`` to the form."""

    masked_fields: dict[str, Sensitive] = {}

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.masking = bool(self.instance.pk) and not can_view_sensitive(viewer)
        self._stored = {}
        if self.masking:
            for name, kind in self.masked_fields.items():
                if name in self.fields:
                    stored = getattr(self.instance, name) or ""
                    self._stored[name] = stored
                    self.initial[name] = mask(stored, kind)
                    self.fields[name].widget.attrs.setdefault("data-masked", "1")

    def _clean_fields(self):
        super()._clean_fields()
        if not (self.masking and self.is_bound):
            return
        for name, kind in self.masked_fields.items():
            if name in self.cleaned_data and is_masked_echo(
                self.data.get(self.add_prefix(name)), self._stored.get(name), kind
            ):
                self.cleaned_data[name] = self._stored[name]
