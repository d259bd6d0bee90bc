from publications.management.commands.generate_data import Command as GenerateData


class Command(GenerateData):
    help = (
        "Generate a large forum for benchmarks (marked generated-*, gen-forum-*): the same as "
        "generate_data --topics N --posts M."
    )

    def handle(self, *args, topics=None, posts=None, **options):
        return super().handle(
            *args, **{**options, "topics": topics or 1000, "posts": posts, "publications": None}
        )
