"""Plain mode: questionary prompts (``prompt``) and numbered line prompts (``line``) that work
through pipes and screen readers.
"""
