from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pertutti.public import font_subset


class Command(BaseCommand):
    help = (
        "Regenerate the Simplified Chinese webfont subset (public/static/vendor/noto-sans-sc/) "
        "from Debian's fonts-noto-cjk; run it whenever the Chinese texts change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=font_subset.SOURCE_FONT,
            help=f"Noto Sans CJK collection (default {font_subset.SOURCE_FONT})",
        )

    def handle(self, *args: object, source: Path, **options: object) -> None:
        try:
            subset, name, missing = font_subset.build(source)
        except font_subset.SourceFontError as exc:
            raise CommandError(str(exc)) from exc
        for built in (subset, name):
            self.stdout.write(
                f"{built.path.name}: {built.characters} characters, {built.glyphs} glyphs, "
                f"{built.size / 1024:.1f} KB"
            )
        if missing:
            self.stdout.write(
                "Not in the source font (drawn by the next font of the stack): "
                + " ".join(f"U+{ord(char):04X}" for char in missing)
            )
