from django.core.management.base import BaseCommand

from reminders.sending import send_due


class Command(BaseCommand):
    help = (
        "Send the training-day reminders that are due (run it every few minutes: cron, a "
        "systemd timer or a Kubernetes CronJob). Each goes out once, however many run at once."
    )

    def handle(self, *args, **options):
        counts = send_due()
        self.stdout.write(
            f"Reminders sent: {counts['sent']}; to try again: {counts['due']}; "
            f"given up: {counts['failed']}; nowhere to send: {counts['nowhere']}; "
            f"taken by another run: {counts['taken']}."
        )
