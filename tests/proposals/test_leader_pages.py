"""The leader's pages: key proposals under this leader's supervision with progress notes, and any submitted
proposal read-only."""

import pytest

from lvzhi.core.models import Event
from lvzhi.proposals import services as s
from lvzhi.proposals.models import ProgressNote
from tests.conftest import client_for, user


@pytest.fixture
def key(filed):
    return s.proposal_mark_key(proposal=filed, by=user("tiwei"), supervisor=user("jinzhiqiang"))


def test_it_refuses_a_member_and_a_unit(key):
    assert client_for("zhuzheng").get("/proposals/leader/").status_code == 403
    assert client_for("fgj").get("/proposals/leader/").status_code == 403
    assert client_for("fgj").get(f"/proposals/leader/{key.pk}/").status_code == 403


def test_the_leader_sees_the_key_proposals_they_supervise(key):
    html = client_for("jinzhiqiang").get("/proposals/leader/").content.decode()
    supervised = html.split('data-testid="supervised"')[1].split("</section>")[0]
    row = supervised.split(f'data-testid="key-{key.pk}"')[1].split("</li>")[0]
    assert key.title in row and key.number in row and "已立案" in row


def test_a_key_proposal_of_another_leader_is_not_listed_as_mine(key):
    s.proposal_mark_key(proposal=key, by=user("tiwei"), supervisor=None)
    html = client_for("jinzhiqiang").get("/proposals/leader/").content.decode()
    supervised = html.split('data-testid="supervised"')[1].split("</section>")[0]
    assert f'data-testid="key-{key.pk}"' not in supervised


def test_the_leader_adds_a_progress_note(key):
    c = client_for("jinzhiqiang")
    page = c.get(f"/proposals/leader/{key.pk}/").content.decode()
    assert key.suggestion in page and 'data-testid="note-form"' in page
    empty = c.post(f"/proposals/leader/{key.pk}/note/", {"text": "  "})
    assert empty.status_code == 400 and not ProgressNote.objects.filter(proposal=key).exists()
    done = c.post(f"/proposals/leader/{key.pk}/note/", {"text": "已赴区科技局调研,要求年底前出台政策。"}, follow=True)
    assert "督办进展已记录" in done.content.decode() and "要求年底前出台政策" in done.content.decode()
    note = ProgressNote.objects.get(proposal=key)
    assert note.author == user("jinzhiqiang")
    assert Event.objects.filter(subject_id=key.pk, action="proposal.progress").count() == 1


def test_only_the_supervisor_adds_notes_and_only_on_key_proposals(filed, key):
    s.proposal_mark_key(proposal=key, by=user("tiwei"), key=False)
    c = client_for("jinzhiqiang")
    assert c.post(f"/proposals/leader/{key.pk}/note/", {"text": "进展"}).status_code == 403
    page = c.get(f"/proposals/leader/{key.pk}/").content.decode()  # still readable
    assert key.title in page and 'data-testid="note-form"' not in page
    assert not ProgressNote.objects.filter(proposal=key).exists()


def test_a_leader_reads_any_submitted_proposal_but_not_a_draft(draft):
    c = client_for("jinzhiqiang")
    assert c.get(f"/proposals/leader/{draft.pk}/").status_code == 404
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    page = c.get(f"/proposals/leader/{draft.pk}/")
    assert page.status_code == 200 and draft.title in page.content.decode()
    assert "13900000118" not in page.content.decode()
    assert 'data-testid="note-form"' not in page.content.decode()
    # another committee's leader does not see it
    assert client_for("hz_office").get(f"/proposals/leader/{draft.pk}/").status_code == 404
