"""The demo data of every capability, loaded in order by `manage.py load_demo` and by the test suite.
Each loader is idempotent: running it again keeps what is there."""

from django.db import transaction


@transaction.atomic
def load():
    from lvzhi.activities import demo as activities_demo
    from lvzhi.consultations import demo as consultations_demo
    from lvzhi.evaluation import demo as evaluation_demo
    from lvzhi.meetings import demo as meetings_demo
    from lvzhi.opinions import demo as opinions_demo
    from lvzhi.org import demo as org_demo
    from lvzhi.proposals import demo as proposals_demo

    committee = org_demo.load()
    proposals_demo.load(committee)
    meetings_demo.load(committee)
    opinions_demo.load(committee)
    consultations_demo.load(committee)
    activities_demo.load(committee)
    evaluation_demo.load(committee)  # last: the points ledger is derived from every capability's events
    from lvzhi.core import caching
    from lvzhi.org.caching import forget_roster
    from lvzhi.org.models import Committee

    caching.forget_all_users()  # accounts, roles and members were written in bulk, without signals
    for pk in Committee.objects.values_list("pk", flat=True):
        forget_roster(pk)
    return committee
