"""The application layer every front-end calls: start fields and their rules, loading a review
(tree, draft, ``--from``), the session, drafts, answers files, supersede and lifecycle warnings.
"""
