"""Widgets for integrity (filled in when that app lands)."""
