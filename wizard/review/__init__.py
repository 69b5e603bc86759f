"""The application layer every front-end calls (Textual app, plain prompts, line mode, the CLI).

- ``start``: the start fields' rules (component, reviewers, subject paths), checked where typed;
- ``load``: everything before the first question (tree, ``--from`` prefill, defaults, drafts, warnings);
- ``session``: a review in progress (routing, pruning, notes, saving); ``drafts`` and ``draft_model``:
  one draft per tree and component; ``overview``: the answer overview's rows;
- ``subject``: subject paths bound to HEAD; ``prefill``: a re-review from an attestation;
- ``answers`` and ``from_answers``: answers files, judged or recorded; ``lifecycle``: early warnings,
  the signer gap, what a supersede changes.

No UI library is imported here; a front-end only asks, shows and calls these.
"""
