from django.core.management.base import BaseCommand

from lvzhi.accounts.models import User
from lvzhi.org import demo


class Command(BaseCommand):
    help = "Print the demo accounts."

    def handle(self, *args, **options):
        self.stdout.write(f"\n履职通 demo accounts (password for all: {demo.DEMO_PASSWORD}; a mobile number works too)")
        mobiles = dict(User.objects.values_list("username", "mobile"))
        for username, role, committee in demo.ACCOUNTS:
            self.stdout.write(f"  {username:<12} {mobiles.get(username) or '':<12} {role}  [{committee}]")
        self.stdout.write("Open http://127.0.0.1:8000/ (a phone-sized window suits member accounts).\n")
