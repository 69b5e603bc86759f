"""Output for people and machines: verdicts (``verdict``), verify and check reports (``verify_text``,
``check_table``), CI formats (``ci``: GitHub, SARIF, JUnit), in-toto (``intoto``) and the inventory
page (``inventory_page``). Untrusted text passes through ``escape``. A new output format goes here.
"""
