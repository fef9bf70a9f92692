"""The exports are reachable from the pages: the queue's Excel and volume buttons, each proposal's Word file."""

from django.urls import reverse

from lvzhi.org.models import Session
from lvzhi.proposals.models import Proposal
from tests.conftest import client_for


def test_the_queue_links_the_filtered_excel_and_the_sessions_volume(qiantang):
    session = Session.objects.get(committee=qiantang, number=1)
    html = client_for("tiwei").get(reverse("proposals:staff_queue"), {"session": session.pk}).content.decode()
    assert f"{reverse('proposals:export_list')}?session={session.pk}" in html
    assert reverse("proposals:export_volume", args=[session.pk]) in html
    response = client_for("tiwei").get(reverse("proposals:export_volume", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_each_proposal_page_links_its_word_file(qiantang):
    proposal = Proposal.objects.get(committee=qiantang, number="一届一次·第 0001 号")
    url = reverse("proposals:export_docx", args=[proposal.pk])
    assert url in client_for("tiwei").get(reverse("proposals:staff_detail", args=[proposal.pk])).content.decode()
    assert url in client_for("zhuzheng").get(reverse("proposals:member_detail", args=[proposal.pk])).content.decode()
