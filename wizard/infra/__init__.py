"""Infrastructure: the one git runner, regular-file reads, TOML in and out, the secret scanner, the
``.authready/`` workspace. Knows nothing of policies or reviews; every other layer may use it.
"""
