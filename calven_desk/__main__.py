"""Lets `python -m calven_desk` behave exactly like the `calven-desk` command."""

import sys

from calven_desk.cli import main

sys.exit(main())
