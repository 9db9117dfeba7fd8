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


# Field names that hold identifiers, wherever they appear (history diffs, admin history).
SENSITIVE_FIELDS = {
    "id_number": Sensitive.ID,
    "certificate_number": Sensitive.CERTIFICATE,
    "phone": Sensitive.PHONE,
    "guardian_phone": Sensitive.PHONE,
    "bank_account": Sensitive.BANK,
}


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


# --- Recording full views ----------------------------------------------------------------------
# dfed.core cannot import the registry that keeps the access log, so the registry registers its
# recorder here in AppConfig.ready() (the panels' pattern); views call full_view_record().

_RECORDERS: list = []


def full_view_recorder_register(recorder) -> None:
    """``recorder(request, *, kind, person=None, query="", count=None)`` writes one log row."""
    if recorder not in _RECORDERS:
        _RECORDERS.append(recorder)


def full_view_record(request, *, kind: str, person=None, query: str = "", count=None) -> None:
    """Record that this response shows full identifiers (only when it does: the viewer holds
    ``people.view_sensitive``). ``kind``: detail, edit, list, export, bank_file, admin, docx."""
    if not can_view_sensitive(request.user):
        return
    full_view_record_always(request, kind=kind, person=person, query=query, count=count)


def full_view_record_always(request, *, kind: str, person=None, query: str = "", count=None):
    """Record a response that shows full identifiers whoever asks (the bank's payment file)."""
    for recorder in _RECORDERS:
        recorder(request, kind=kind, person=person, query=query, count=count)


class FullViewLogMixin:
    """A view whose responses show full identifiers to holders of ``view_sensitive``: call
    ``self.log_full_view(kind=..., person=...)`` once per response (lists pass the filter used
    and the number of people shown)."""

    def log_full_view(self, *, kind: str, person=None, count=None) -> None:
        params = self.request.GET.copy()
        params.pop("page", None)
        full_view_record(
            self.request, kind=kind, person=person, query=params.urlencode(), count=count
        )
