"""authready: may this generated auth code ship?

The package root stays empty on purpose: headless commands (``tree lint``,
``evaluate``, ``check``) must not pay for Textual or questionary, so nothing
here imports a front-end. Import the module you need.
"""

__version__ = "0.1.0"
