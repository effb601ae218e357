"""``python -m bot.cli``: the ``boardbot`` command."""

import sys

from bot.cli import main

sys.exit(main())
