"""The policy, pure: the decision tree model, the engine that walks it, lint, scenarios and the quiz, and the
shipped trees' parsed twins (``parsed``). No git, no signatures, no terminal; a new tree rule or outcome rule goes here.
"""
