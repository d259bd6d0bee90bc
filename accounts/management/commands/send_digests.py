from django.core.management.base import BaseCommand

from accounts.tasks import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Queue the weekly e-mail digest for subscribed members (run it daily or weekly from cron)."
    )

    def handle(self, *args, **options):
        result = send_weekly_digests.enqueue()
        self.stdout.write(f"Digest run queued ({result.id}).")
