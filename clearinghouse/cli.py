"""The `clearinghouse` command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "clearinghouse"
    if argv[1:2] == ["demo"]:
        # A local trial on plain http: settings.py relaxes what needs HTTPS.
        os.environ["CLEARINGHOUSE_DEMO"] = "1"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
