"""``python -m tokentoss``: see tokentoss.cli."""

import sys

from tokentoss.cli import main

sys.exit(main())
