"""The meetings of a committee as the check-in desk reads them: the door's path is the hottest write of the
platform (2,200 members at a national session), and each scan read its meeting again. A meeting is kept
in the process's memory under the committee's `meetings` token (lvzhi.core.caching), which any save or
deletion of a meeting of the committee replaces; the token is read with the user's own in the request's
one round trip. Connected in MeetingsConfig.ready."""

from django.db.models.signals import post_delete, post_save

from lvzhi.core import caching

caching.register_committee_token("meetings")

TTL = 300


def _token(committee_id) -> str:
    return caching.token(caching.committee_token_key("meetings", committee_id))


def meeting(committee, meeting_id: int):
    """The meeting `meeting_id` of `committee` (with the committee set), or None."""
    from .models import Meeting

    key = f"lvzhi:meeting:{committee.pk}:{meeting_id}:{_token(committee.pk)}"
    found = caching.objects().get(key)
    if found is None:
        found = Meeting.objects.for_committee(committee).filter(pk=meeting_id).order_by().first()
        if found is None:
            return None
        caching.objects().set(key, found, TTL)
    found.committee = committee
    return found


def forget_meetings(committee_id) -> None:
    caching.bump(caching.committee_token_key("meetings", committee_id))


def _changed(sender, instance, **kwargs):
    forget_meetings(instance.committee_id)


def connect() -> None:
    from .models import Meeting

    post_save.connect(_changed, sender=Meeting, dispatch_uid="lvzhi-meetings-cache")
    post_delete.connect(_changed, sender=Meeting, dispatch_uid="lvzhi-meetings-cache-delete")
