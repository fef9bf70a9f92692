from django.core.management.base import BaseCommand

from lvzhi.accounts.models import User
from lvzhi.org import demo


class Command(BaseCommand):
    help = "Print the demo accounts."

    def handle(self, *args, **options):
        self.stdout.write(f"\n履职通 demo accounts (password for all: {demo.DEMO_PASSWORD}; a mobile number works too)")
        mobiles = dict(User.objects.values_list("username", "mobile"))
        from lvzhi.proposals.demo import UNIT_ACCOUNTS

        units = [(u, f"承办单位·{unit}", "钱塘区政协") for u, _name, _mobile, unit in UNIT_ACCOUNTS]
        for username, role, committee in [*demo.ACCOUNTS, *units]:
            self.stdout.write(f"  {username:<12} {mobiles.get(username) or '':<12} {role}  [{committee}]")
        self.stdout.write("Open http://127.0.0.1:8000/ (a phone-sized window suits member accounts).\n")
