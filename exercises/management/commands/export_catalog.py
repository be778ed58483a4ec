from pathlib import Path

from django.core.management.base import BaseCommand

from exercises import catalog


class Command(BaseCommand):
    help = "Write the database's catalog to fixtures/catalog.json, to keep admin edits in git."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=catalog.CATALOG_PATH)

    def handle(self, *args, path, **options):
        data = catalog.dump()
        catalog.write(data, path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(data['drills'])} drills and {len(data['tracks'])} tracks to {path}."
            )
        )
