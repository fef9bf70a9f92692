from django.core.management.base import BaseCommand

from lvzhi import demo
from lvzhi.org import demo as org_demo


class Command(BaseCommand):
    help = "Load the Qiantang demo data once (running it again keeps the data)."

    def handle(self, *args, **options):
        existed = org_demo.is_loaded()
        demo.load()  # each capability's loader keeps what is there and adds only what is missing
        if existed:
            self.stdout.write("demo data already loaded: kept as it is")
        else:
            self.stdout.write(self.style.SUCCESS("demo data loaded: 杭州市钱塘区政协, 205 members in 17 sectors"))
