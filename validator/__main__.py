"""`python -m validator` runs the same CLI as `owui-validate`."""

from validator.cli import main

raise SystemExit(main())
