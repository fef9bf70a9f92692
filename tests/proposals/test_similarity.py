import pytest

from bench._proposal_text import Generator
from lvzhi.org.models import Term
from lvzhi.proposals import intel_store
from lvzhi.proposals.models import IntelBlob, Proposal
from lvzhi.proposals.similarity import document, similar
from lvzhi.proposals.tasks_intel import build_index
from tests.conftest import user


@pytest.fixture(autouse=True)
def _fresh_indexes():
    intel_store.forget()
    yield
    intel_store.forget()


def make_filed(committee, items, *, prefix="T"):
    """Filed proposals written directly (the lifecycle has its own tests)."""
    term = Term.objects.for_committee(committee).first()
    by = user("admin")
    rows = [
        Proposal(
            committee=committee,
            term=term,
            created_by=by,
            title=p["title"],
            problem=p["problem"],
            analysis=p["analysis"],
            suggestion=p["suggestion"],
            state="filed",
            number=f"{prefix}-{i:04d}",
        )
        for i, p in enumerate(items)
    ]
    return Proposal.objects.bulk_create(rows)


def text(p: dict) -> str:
    return document(p["title"], p["problem"], p["analysis"], p["suggestion"])


@pytest.fixture
def corpus(qiantang):
    gen = Generator(11)
    items = [gen.proposal() for _ in range(60)]
    return gen, items, make_filed(qiantang, items)


def test_it_finds_a_reworded_duplicate_first(qiantang, corpus):
    gen, items, rows = corpus
    for i in (3, 17, 42):
        found = similar(qiantang, text(gen.reword(items[i])))
        assert found and found[0].proposal.pk == rows[i].pk
        assert 0 < found[0].score <= 1
        assert all(a.score >= b.score for a, b in zip(found, found[1:], strict=False))


def test_it_finds_it_through_the_index_and_finds_proposals_filed_after_the_index(qiantang, corpus):
    gen, items, rows = corpus
    build_index(qiantang)
    blob = IntelBlob.objects.get(committee=qiantang, kind="similarity")
    assert blob.n_docs >= 60 and blob.chunks.count() >= 1
    found = similar(qiantang, text(gen.reword(items[5])))
    assert found[0].proposal.pk == rows[5].pk
    late = gen.proposal("地铁口停车")
    (new,) = make_filed(qiantang, [late], prefix="L")  # filed after the build: in the "recent" part
    Proposal.objects.filter(pk=new.pk).update(filed_at=blob.cutoff)
    assert similar(qiantang, text(gen.reword(late)))[0].proposal.pk == new.pk


def test_it_never_returns_another_committees_proposals(qiantang, hangzhou, corpus):
    gen, items, _rows = corpus
    (theirs,) = make_filed(hangzhou, [items[8]], prefix="H")
    for built in (False, True):
        if built:
            build_index(hangzhou)
            build_index(qiantang)
        found = similar(qiantang, text(items[8]), k=10)
        assert found and all(m.proposal.committee_id == qiantang.pk for m in found)
        assert theirs.pk not in [m.proposal.pk for m in found]
    assert [m.proposal.pk for m in similar(hangzhou, text(items[8]))] == [theirs.pk]


def test_it_marks_the_similar_passages(qiantang, corpus):
    gen, items, rows = corpus
    query = gen.reword(items[20])
    found = similar(qiantang, text(query))
    assert found[0].proposal.pk == rows[20].pk
    passages = found[0].passages
    assert passages
    for mine, theirs in passages:
        assert mine in text(query).replace("\n", "")
        assert theirs in text(items[20]).replace("\n", "")


def test_it_excludes_the_proposal_itself_drafts_and_nothing_for_empty_text(qiantang, corpus, draft):
    _gen, items, rows = corpus
    found = similar(qiantang, text(items[30]), exclude_id=rows[30].pk)
    assert rows[30].pk not in [m.proposal.pk for m in found]
    assert draft.pk not in [m.proposal.pk for m in similar(qiantang, draft.title + draft.suggestion)]
    assert similar(qiantang, "  ") == []
