"""``gms_config load FILE.ini`` and ``gms_config dump``: the configuration as GMS INI sections."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core import services
from apps.core.config import ConfigError
from apps.core.models import Section


class Command(BaseCommand):
    help = "Load or dump the configuration as GMS-style INI sections."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load sections from an INI file ('-' reads stdin)")
        load.add_argument("file")
        load.add_argument(
            "--replace-all", action="store_true", help="remove the sections the file does not name"
        )
        load.add_argument(
            "--if-empty", action="store_true", help="do nothing when any section is stored already"
        )
        dump = sub.add_parser("dump", help="write every section as INI text")
        dump.add_argument("--output", "-o", help="write to this file instead of stdout")

    def handle(self, *args, action: str, **options) -> None:
        if action == "load":
            self._load(options["file"], options["replace_all"], options["if_empty"])
        else:
            self._dump(options.get("output"))

    def _load(self, file: str, replace_all: bool, if_empty: bool) -> None:
        if if_empty and Section.objects.exists():
            self.stdout.write("Configuration already present; nothing loaded.")
            return
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            names = services.load_ini(text=text, replace_all=replace_all)
        except ConfigError as error:
            raise CommandError(f"Nothing loaded: {error}") from error
        self.stdout.write(f"Loaded {len(names)} section(s): {', '.join(names)}")

    def _dump(self, output: str | None) -> None:
        text = services.dump_ini()
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
