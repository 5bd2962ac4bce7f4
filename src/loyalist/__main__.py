"""``python -m loyalist``: the same command line as the ``loyalist`` console script."""

from loyalist.cli.app import main

if __name__ == "__main__":
    main()
