#!/usr/bin/env python3
"""Same as the ``pantau`` console script."""

from pantau.cli import main

if __name__ == "__main__":
    main()
