"""The demo data of every capability, loaded in order by `manage.py load_demo` and by the test suite.
Each loader is idempotent: running it again keeps what is there."""

from django.db import transaction


@transaction.atomic
def load():
    from lvzhi.meetings import demo as meetings_demo
    from lvzhi.org import demo as org_demo
    from lvzhi.proposals import demo as proposals_demo

    committee = org_demo.load()
    proposals_demo.load(committee)
    meetings_demo.load(committee)
    return committee
