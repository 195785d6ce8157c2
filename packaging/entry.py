"""The bundle's entry point: the same `calven-desk` command, window and sub-commands alike."""

import sys

from calven_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
