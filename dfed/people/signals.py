"""Signals other apps listen to, so that people never imports them.

``person_left_registry`` is sent inside the transaction of :func:`person_set_status` when a person
is marked 死亡 or 迁出; receivers (subsidies ending entitlements, homes ending memberships) do
their own writes through their own services and may raise ``ValidationError`` to roll it back.
"""

from django.dispatch import Signal

# kwargs: person, status (Person.Status), on (date), by (User)
person_left_registry = Signal()

# Sent on commit after an external list (民政, deaths, moves, certificates, sentences) is kept.
# kwargs: external_list (ExternalList), by (User or None)
external_list_imported = Signal()

# Sent inside the transaction when people's name or town changed (an edit, an approved transfer,
# an import); receivers keep what they derive from them (subsidies' entitlement sort keys).
# kwargs: people (a Person queryset of those changed)
people_changed = Signal()
