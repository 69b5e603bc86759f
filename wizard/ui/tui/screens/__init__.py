"""Screens of the review wizard: start, question, summary, and the learn-mode browser."""
