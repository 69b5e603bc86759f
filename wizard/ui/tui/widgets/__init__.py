"""Widgets of the review wizard: the place bar (breadcrumb and progress) and the verdict panel."""
