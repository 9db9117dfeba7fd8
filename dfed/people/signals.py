"""Signals other apps listen to, so that people never imports them.

``person_left_registry`` is sent inside the transaction of :func:`person_set_status` when a person
is marked 死亡 or 迁出; receivers (subsidies ending entitlements, homes ending memberships) do
their own writes through their own services and may raise ``ValidationError`` to roll it back.
"""

from django.dispatch import Signal

# kwargs: person, status (Person.Status), on (date), by (User)
person_left_registry = Signal()
