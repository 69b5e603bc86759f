"""Interactive front-ends: ``tui`` (Textual) and ``plain`` (questionary and numbered line
prompts). The only place a terminal UI library is imported.
"""
