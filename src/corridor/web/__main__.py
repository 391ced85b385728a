"""``python -m corridor.web``: the same as ``corridor serve``."""

from corridor.cli.serve_cmd import main

if __name__ == "__main__":
    main()
