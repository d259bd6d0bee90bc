import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server and a background-task worker side by side."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, "manage.py"]
        # Each child leads its own process group, so stopping it also stops what it
        # spawned (runserver's autoreloader runs the server in a grandchild).
        processes = [
            subprocess.Popen([*manage, "runserver", addrport], start_new_session=True),
            subprocess.Popen([*manage, "db_worker", "--interval", "1"], start_new_session=True),
        ]
        self.stdout.write(f"Serving on http://{addrport}/ with a task worker. Ctrl-C stops both.")
        stopping = False

        def request_stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        try:
            while not stopping and all(process.poll() is None for process in processes):
                try:
                    processes[0].wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    continue
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        self.stdout.write("Stopped the web server and the task worker.")
