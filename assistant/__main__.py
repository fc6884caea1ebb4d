"""`python -m assistant` is `send-assistant`."""

import sys

from assistant.cli import main

sys.exit(main())
