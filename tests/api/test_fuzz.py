"""Property tests: whatever JSON a client sends to the member endpoints, the answer is never a 500.

The Django test client re-raises any exception of a view, so a crash fails the test even before the
status code is looked at."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvzhi.core.api import MAX_ID
from lvzhi.org.models import Member, Party, Sector

from .conftest import api_for

pytestmark = pytest.mark.django_db

FIELDS = [
    "name", "mobile", "sector", "party", "term", "gender", "birth_date", "ethnicity", "employer", "post",
    "is_standing", "sub_district", "studio", "special_committees", "version", "reason",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80)
    | st.sampled_from(["", " ", "\x00", "13812345678", "1980-02-30", "2021-07-19", "M", "F", "true", "林新"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
# mostly the real field names (so that validation goes deep), sometimes any key
bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), json_values, max_size=10) | json_values

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def office():
    return api_for("office")


@FUZZ
@given(body=bodies)
def test_random_bodies_to_create_never_crash(office, qiantang, body):
    before = Member.objects.count()
    r = office.post("/members", body)
    assert r.status_code in (201, 422), r.content
    if r.status_code == 422:
        assert r.json()["errors"]
        assert Member.objects.count() == before


@st.composite
def plausible_members(draw):
    """Bodies close to valid ones: real ids of this and other committees, edge values of each field."""
    from lvzhi.org.models import Committee

    ids = list(Sector.objects.values_list("pk", flat=True)) + list(Party.objects.values_list("pk", flat=True))
    some_id = st.sampled_from(ids) | st.integers(min_value=-5, max_value=MAX_ID + 5)
    body = {
        "name": draw(st.text(min_size=0, max_size=60)),
        "mobile": draw(st.from_regex(r"1[0-9]{10}", fullmatch=True) | st.text(max_size=25)),
        "sector": draw(some_id),
        "party": draw(some_id),
    }
    optional = {
        "gender": st.sampled_from(["M", "F", "", "X", None]),
        "birth_date": st.dates().map(str) | st.text(max_size=12) | st.integers(),
        "employer": st.text(max_size=120),
        "is_standing": st.booleans() | st.text(max_size=5),
        "studio": some_id | st.none(),
        "sub_district": some_id | st.none(),
        "term": some_id | st.none(),
        "special_committees": st.lists(some_id, max_size=5),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            body[key] = draw(strategy)
    assert Committee.objects.exists()
    return body


@FUZZ
@given(body=plausible_members())
def test_plausible_bodies_to_create_never_crash(office, qiantang, body):
    r = office.post("/members", body)
    assert r.status_code in (201, 422), r.content
    if r.status_code == 201:
        member = Member.objects.get(pk=r.json()["id"])
        assert member.committee == qiantang
        assert member.sector.committee == qiantang and member.party.committee == qiantang


@FUZZ
@given(body=bodies)
def test_random_bodies_to_patch_and_end_never_crash(office, qiantang, body):
    member = Member.objects.get(committee=qiantang, name="朱政")
    patched = office.patch(f"/members/{member.pk}", body)
    assert patched.status_code in (200, 409, 422), patched.content
    ended = office.post(f"/members/{member.pk}/end", body)
    assert ended.status_code in (200, 409, 422), ended.content


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["q", "sector", "party", "standing", "state", "special_committee", "studio", "limit", "offset"]
        ),
        st.text(max_size=30),
        max_size=6,
    )
)
def test_random_filters_never_crash(office, params):
    r = office.get("/members", params)
    assert r.status_code in (200, 422), r.content
