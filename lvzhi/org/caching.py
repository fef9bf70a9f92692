"""The roster token of a committee: read caches of the member directory (its page, and the members API)
key on it, so any change of a member or of what a member row names (sector, party, studio, sub-district,
term, special committee) retires them at once (lvzhi.core.caching explains tokens). Connected in
OrgConfig.ready."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from lvzhi.core import caching

caching.register_committee_token("roster")  # read with the user's tokens, in the same round trip


def roster_key(committee_id) -> str:
    return caching.committee_token_key("roster", committee_id)


def roster_token(committee_id) -> str:
    return caching.token(roster_key(committee_id))


def forget_roster(committee_id) -> None:
    caching.bump(roster_key(committee_id))


def _changed(sender, instance, **kwargs):
    forget_roster(instance.committee_id)


def _special_committees_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        forget_roster(instance.committee_id)


def connect() -> None:
    from .models import Member, Party, Sector, SpecialCommittee, Studio, SubDistrict, Term

    # every model whose names a member row shows (the directory, the members API for staff)
    for model in (Member, Sector, Party, Studio, SubDistrict, Term, SpecialCommittee):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"lvzhi-roster-{model.__name__}")
    m2m_changed.connect(
        _special_committees_changed, sender=Member.special_committees.through, dispatch_uid="lvzhi-roster-m2m"
    )
