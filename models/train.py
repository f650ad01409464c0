"""`python -m models.train ...`: headless training (see models/cli.py for the options).

Only run this module, don't import it: importing would replace the
`models.train` function with this module. Import `models.cli` instead.
"""

from models.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
