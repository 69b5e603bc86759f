"""``python -m wizard`` runs the same CLI as the ``authready`` command."""

from wizard.cli.main import main

raise SystemExit(main())
