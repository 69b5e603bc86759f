"""The shipped policy trees; installed as ``wizard.decision_trees`` so a wheel carries them."""
