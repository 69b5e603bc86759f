"""Widgets the screens share: the choice list, the note field, the footer, the place bar, the verdict panel."""
