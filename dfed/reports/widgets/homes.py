"""Widgets for homes (filled in when that app lands)."""
