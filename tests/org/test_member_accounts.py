"""The member's log-in account follows the roster: a new mobile moves the log-in number, and a number
cannot be the log-in of two members of one committee."""

import pytest
from django.core.exceptions import ValidationError

from lvzhi.accounts.models import User
from lvzhi.org.models import Member
from lvzhi.org.services import member_create, member_update
from tests.conftest import user


def test_a_new_mobile_moves_the_login_number_and_frees_the_old_one(qiantang):
    zhu = Member.objects.get(committee=qiantang, name="朱政")
    old = zhu.mobile
    member_update(member=zhu, by=user("office"), version=zhu.version, mobile="13811112222")
    assert User.objects.get(username="zhuzheng").mobile == "13811112222"
    sector = zhu.sector
    newcomer = member_create(
        committee=qiantang, by=user("office"), term=zhu.term, name="新委员", mobile=old, sector=sector, party=zhu.party
    )
    assert newcomer.user.username != "zhuzheng"
    assert newcomer.user.mobile == old


def test_a_mobile_that_is_another_members_login_is_refused_and_nothing_changes(qiantang):
    zhu = Member.objects.get(committee=qiantang, name="朱政")
    xu = Member.objects.get(committee=qiantang, name="徐钢")
    with pytest.raises(ValidationError):
        member_update(member=zhu, by=user("office"), version=zhu.version, mobile=xu.mobile)
    zhu.refresh_from_db()
    assert zhu.mobile == "13900000118"
    assert User.objects.get(username="zhuzheng").mobile == "13900000118"


def test_a_login_number_already_used_by_a_member_here_cannot_make_a_second_member(qiantang):
    zhu = Member.objects.get(committee=qiantang, name="朱政")
    # his profile's number changes but his log-in keeps another: (simulates an account whose number differs)
    User.objects.filter(username="zhuzheng").update(mobile="13822223333")
    with pytest.raises(ValidationError) as raised:
        member_create(
            committee=qiantang,
            by=user("office"),
            term=zhu.term,
            name="重复",
            mobile="13822223333",
            sector=zhu.sector,
            party=zhu.party,
        )
    assert "登录账号" in str(raised.value)
    assert not Member.objects.filter(committee=qiantang, name="重复").exists()
