"""Widgets for accessibility (filled in when that app lands)."""
