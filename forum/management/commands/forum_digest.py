from django.core.management.base import BaseCommand

from forum.notify_email import send_daily_digests


class Command(BaseCommand):
    help = "Queue the daily forum digests (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        send_daily_digests.enqueue()
        self.stdout.write("Forum digests queued.")
