"""`python -m clio`: the same command line as `clio`."""
from __future__ import annotations

from clio.cli import main

if __name__ == "__main__":
    main()
