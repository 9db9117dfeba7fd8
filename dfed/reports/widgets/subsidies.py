"""Widgets for subsidies (filled in when that app lands)."""
