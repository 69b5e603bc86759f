"""Output for people and machines: verdicts, verify and check reports, CI formats (GitHub,
SARIF, JUnit), in-toto and the inventory page. A new output format goes here.
"""
