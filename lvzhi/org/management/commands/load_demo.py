from django.core.management.base import BaseCommand

from lvzhi.org import demo


class Command(BaseCommand):
    help = "Load the Qiantang demo data once (running it again keeps the data)."

    def handle(self, *args, **options):
        if demo.is_loaded():
            self.stdout.write("demo data already loaded: kept as it is")
            return
        demo.load()
        self.stdout.write(self.style.SUCCESS("demo data loaded: 杭州市钱塘区政协, 205 members in 17 sectors"))
