from django.core.management.base import BaseCommand

from forum.generate import generate_forum, remove_generated


class Command(BaseCommand):
    help = "Generate a large public forum for benchmarks (marked generated-*, gen-forum-*)."

    def add_arguments(self, parser):
        parser.add_argument("--topics", type=int, default=1000)
        parser.add_argument("--posts", type=int, default=20000)
        parser.add_argument("--longest", type=int, default=0, help="posts in the longest topic")
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, topics, posts, longest, replace, **options):
        if replace:
            remove_generated()
        made = generate_forum(topics=topics, posts=posts, longest=longest)
        self.stdout.write(
            f"Generated {made['topics']} topics; longest topic: {made['longest_topic']}"
        )
