"""The whole proposal cycle in Chromium, each person in their own browser: 朱政 writes on a 375 px phone
and invites 徐钢, who confirms on his phone; 提案委 (tiwei) files and assigns on a desktop; 区发展和改革局
(fgj) accepts, records the contact and answers with a PDF letter; the office approves; 朱政 is 不满意, so
the unit handles it again; the second answer closes it; the office publishes it; the public page shows it."""

import re

import pytest

from lvzhi.core.models import Event
from lvzhi.proposals.models import Answer, Assignment, Contact, CoSigner, Evaluation, Proposal
from tests.browser.conftest import DESKTOP, PHONE, _page, log_in

TITLE = "关于在钱塘新城增设青年人才驿站的建议"


def _pdf() -> bytes:
    """A tiny valid one-page PDF (with a correct cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def people(browser, site):
    """One browser context a person, logged in: two phones, two desktops."""
    contexts, pages = [], {}
    for username, options in (("zhuzheng", PHONE), ("xugang", PHONE), ("tiwei", DESKTOP), ("fgj", DESKTOP)):
        context, page = _page(browser, options)
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts
        page.set_default_timeout(45000)  # a loaded CI machine: answers with a letter take a while
        log_in(page, site, username)
        contexts.append(context)
        pages[username] = page
    yield pages
    for context in contexts:
        context.close()


def _post(page, selector: str) -> None:
    """Click a button that posts a form and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").first.inner_text()


def _state(pk: int) -> str:
    return Proposal.objects.get(pk=pk).state


def test_the_whole_cycle_in_the_browser(site, people):
    zhu, xu, tiwei, fgj = people["zhuzheng"], people["xugang"], people["tiwei"], people["fgj"]

    # --- 朱政 writes on his phone and saves a draft
    zhu.goto(f"{site}/proposals/")
    zhu.get_by_test_id("write-proposal").click()
    zhu.wait_for_url(re.compile(r"/proposals/new/$"))
    assert zhu.evaluate("document.documentElement.scrollWidth") <= 375
    zhu.fill("#id_title", TITLE)
    zhu.select_option("#id_category", label="社会事业")
    zhu.fill("#id_problem", "钱塘区是全市最年轻的城区,但来钱塘求职的青年人才缺少过渡住宿和就业指导。")
    zhu.fill("#id_analysis", "现有人才公寓申请周期长,初到钱塘的高校毕业生难以及时入住。")
    zhu.fill("#id_suggestion", "一、在地铁站周边设立青年人才驿站,提供7天免费住宿;二、驿站内提供就业指导和政策咨询。")
    _post(zhu, "[data-testid=save-draft]")
    match = re.search(r"/proposals/(\d+)/$", zhu.url)
    assert match, zhu.url
    pk = int(match.group(1))
    assert "草稿已保存" in zhu.content()
    assert _state(pk) == "draft"

    # --- he invites 徐钢 to co-sign
    zhu.fill("#id_q", "徐钢")
    with zhu.expect_navigation():
        zhu.locator("form.cosign-search button").click()
    _post(zhu, "[data-testid=found] button")
    assert CoSigner.objects.get(proposal_id=pk).state == "invited"
    assert "徐钢" in zhu.get_by_test_id("cosigners").inner_text()

    # --- 徐钢 confirms on his phone, from his proposals page
    xu.goto(f"{site}/proposals/")
    invitation = xu.get_by_test_id("invitations").locator("li", has_text=TITLE)
    with xu.expect_navigation():
        invitation.get_by_role("button", name="确认联名").click()
    assert CoSigner.objects.get(proposal_id=pk).state == "confirmed"

    # --- 朱政 submits
    zhu.goto(f"{site}/proposals/{pk}/")
    _post(zhu, "[data-testid=draft-actions] [data-testid=submit]")
    assert _state(pk) == "submitted"
    assert zhu.get_by_test_id("state").inner_text().strip() != ""

    # --- 提案委 files it and assigns it to 区发展和改革局
    tiwei.goto(f"{site}/proposals/staff/{pk}/")
    _post(tiwei, f"form[action='/proposals/staff/{pk}/file/'] button")
    proposal = Proposal.objects.get(pk=pk)
    assert proposal.state == "filed" and proposal.number
    assert proposal.number in tiwei.get_by_test_id("number").inner_text()
    form = tiwei.get_by_test_id("assign-form")
    form.locator("select[name=lead_unit]").select_option(label="区发展和改革局")
    with tiwei.expect_navigation():
        form.get_by_role("button", name="交办").click()
    assert _state(pk) == "assigned"
    assert Assignment.objects.get(proposal_id=pk).unit.name == "区发展和改革局"

    # --- 区发展和改革局 accepts, records the contact and answers with a letter
    fgj.goto(f"{site}/proposals/unit/")
    assert TITLE in fgj.content()
    fgj.goto(f"{site}/proposals/unit/{pk}/")
    _post(fgj, "[data-testid=accept]")
    assert _state(pk) == "handling"
    contact = fgj.get_by_test_id("contact-form")
    contact.locator("select[name=method]").select_option("phone")
    contact.locator("textarea[name=note]").fill("电话联系朱政委员,沟通驿站选址和运营方式。")
    with fgj.expect_navigation():
        contact.get_by_role("button", name="保存沟通记录").click()
    assert Contact.objects.filter(proposal_id=pk, method="phone").count() == 1

    def answer(category: str, text: str) -> None:
        form = fgj.get_by_test_id("answer-form")
        form.locator("select[name=category]").select_option(category)
        form.locator("textarea[name=text]").fill(text)
        form.locator("input[name=letter]").set_input_files(
            files=[{"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
        )
        with fgj.expect_navigation():
            form.get_by_role("button", name="提交答复").click()

    answer("B", "青年人才驿站已列入明年民生实事项目,正在选址。")
    assert _state(pk) == "answered"
    first = Answer.objects.get(proposal_id=pk, round=1)
    assert first.category == "B" and first.letter is not None and first.letter.name.endswith(".pdf")

    # --- the office approves the answer; it reaches the proposers
    tiwei.goto(f"{site}/proposals/staff/{pk}/")
    _post(tiwei, f"form[action='/proposals/staff/{pk}/approve_answer/'] button")
    assert _state(pk) == "replied"

    # --- 朱政 is not satisfied, 徐钢 is: re-handling
    zhu.goto(f"{site}/proposals/{pk}/")
    assert "青年人才驿站已列入明年民生实事项目" in zhu.get_by_test_id("answers").inner_text()
    assert zhu.get_by_test_id("reply-letter").count() == 1
    zhu.fill("#id_comment", "选址和开放时间都没有明确。")
    _post(zhu, "[data-testid=rate-unsatisfied]")
    xu.goto(f"{site}/proposals/{pk}/")
    _post(xu, "[data-testid=rate-satisfied]")
    proposal = Proposal.objects.get(pk=pk)
    assert proposal.state == "rehandling" and proposal.round == 2

    # --- the unit answers again, the office approves, both evaluate: closed
    fgj.goto(f"{site}/proposals/unit/{pk}/")
    assert "第 2 轮办理" in fgj.content()
    answer("A", "首个青年人才驿站已在河庄路地铁站旁开放,提供7天免费住宿和就业指导。")
    assert _state(pk) == "answered"
    tiwei.goto(f"{site}/proposals/staff/{pk}/")
    _post(tiwei, f"form[action='/proposals/staff/{pk}/approve_answer/'] button")
    zhu.goto(f"{site}/proposals/{pk}/")
    _post(zhu, "[data-testid=rate-basic]")
    xu.goto(f"{site}/proposals/{pk}/")
    _post(xu, "[data-testid=rate-satisfied]")
    assert _state(pk) == "closed"
    ratings = list(
        Evaluation.objects.filter(proposal_id=pk)
        .order_by("round", "member__name")
        .values_list("round", "member__name", "rating")
    )
    assert ratings == [
        (1, "徐钢", "satisfied"),
        (1, "朱政", "unsatisfied"),
        (2, "徐钢", "satisfied"),
        (2, "朱政", "basic"),
    ]

    # --- the office publishes it; the public page shows the proposal and both answers
    tiwei.goto(f"{site}/proposals/staff/{pk}/")
    _post(tiwei, f"form[action='/proposals/staff/{pk}/publish/'] button")
    assert Proposal.objects.get(pk=pk).published_at is not None

    public = tiwei.context.browser.new_context(locale="zh-CN", **PHONE).new_page()
    public.goto(f"{site}/public/proposals/?committee={proposal.committee_id}&q=青年人才驿站")
    public.get_by_role("link", name=TITLE).first.click()
    public.wait_for_url(re.compile(rf"/public/proposals/{pk}/$"))
    text = public.content()
    assert TITLE in text and "朱政" in text and "徐钢" in text
    assert public.get_by_test_id("answer").count() == 2
    assert "首个青年人才驿站已在河庄路地铁站旁开放" in text
    assert "13900000118" not in text  # no private data of the proposer
    public.context.close()

    # --- every step is on the timeline; no script error on any page
    actions = set(Event.objects.filter(subject_type__model="proposal", subject_id=pk).values_list("action", flat=True))
    assert {
        "proposal.created",
        "proposal.cosigner_invited",
        "proposal.submit",
        "proposal.file",
        "proposal.assign",
        "proposal.start",
        "proposal.contact",
        "proposal.answer",
        "proposal.approve_answer",
        "proposal.rehandle",
        "proposal.close",
        "proposal.published",
    } <= actions
    for page in (zhu, xu, tiwei, fgj):
        assert page.js_errors == []
