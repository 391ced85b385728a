"""``python -m corridor.web``: the same as ``corridor serve``."""

from corridor.web.serve import main

if __name__ == "__main__":
    main()
