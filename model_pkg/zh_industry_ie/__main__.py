"""``python -m zh_industry_ie extract INPUT... --out DIR`` and ``... facts DIR --out facts.sqlite``."""

from __future__ import annotations

import sys

from zh_industry_ie.batch.cli import main

if __name__ == "__main__":
    sys.exit(main())
