"""Demo data for notifications: called by ``manage.py load_demo`` after the registry is loaded."""


def load(*, stdout=None) -> None:
    """Add this app's demo rows; idempotent."""
