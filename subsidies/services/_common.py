from dfed.core.history import save_with_history
from dfed.core.permissions import require

__all__ = ["require", "save_with_history"]
