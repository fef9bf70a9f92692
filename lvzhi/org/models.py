"""Organisation: committees (the tenants), terms, sessions, sectors, parties, special committees,
sub-districts with studios and contact points, handling units, members, roles, nomination, exit, liaison."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.core.roles import Role
from lvzhi.core.tenancy import CommitteeScoped


class Level(models.IntegerChoices):
    NATIONAL = 1, _("全国")
    PROVINCE = 2, _("省")
    CITY = 3, _("市")
    DISTRICT = 4, _("区(县)")


class Committee(models.Model):
    """A CPPCC committee: the tenant. Committees form a hierarchy (区 → 市 → 省 → 全国)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    # Per-committee settings (deadlines, formats, point values...); each capability reads its own keys
    # with defaults from ../shared/RULES.md, see lvzhi.core.config.
    config = models.JSONField(_("设置"), default=dict, blank=True)

    class Meta:
        verbose_name = _("政协委员会")
        verbose_name_plural = _("政协委员会")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def ancestors(self) -> list["Committee"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Term(CommitteeScoped):
    number = models.PositiveSmallIntegerField(_("届次"))
    name = models.CharField(_("名称"), max_length=30)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["committee", "number"], name="term_number_unique")]

    def __str__(self) -> str:
        return self.name


class Session(CommitteeScoped):
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("届"))
    number = models.PositiveSmallIntegerField(_("次"))
    name = models.CharField(_("名称"), max_length=50)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("次会议")
        verbose_name_plural = _("次会议")
        ordering = ["-start_date"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_number_unique")]

    def __str__(self) -> str:
        return self.name


class NamedScoped(CommitteeScoped):
    """A named, ordered item of a committee (sector, party, special committee...)."""

    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Sector(NamedScoped):
    class Meta(NamedScoped.Meta):
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="sector_name_unique")]


class Party(NamedScoped):
    class Kind(models.TextChoices):
        CPC = "cpc", _("中国共产党")
        DEMOCRATIC = "democratic", _("民主党派")
        NONE = "none", _("无党派人士")
        GROUP = "group", _("人民团体")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.DEMOCRATIC)

    class Meta(NamedScoped.Meta):
        verbose_name = _("党派团体")
        verbose_name_plural = _("党派团体")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="party_name_unique")]


class SpecialCommittee(NamedScoped):
    class Meta(NamedScoped.Meta):
        verbose_name = _("专委会")
        verbose_name_plural = _("专委会")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="special_name_unique")]


class SubDistrict(NamedScoped):
    class Meta(NamedScoped.Meta):
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="subdistrict_name_unique")]


class Studio(NamedScoped):
    sub_district = models.ForeignKey(
        SubDistrict, on_delete=models.PROTECT, related_name="studios", verbose_name=_("街道")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta(NamedScoped.Meta):
        verbose_name = _("委员工作室")
        verbose_name_plural = _("委员工作室")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="studio_name_unique")]


class ContactPoint(NamedScoped):
    sub_district = models.ForeignKey(
        SubDistrict, on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("街道")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta(NamedScoped.Meta):
        verbose_name = _("社情民意联系点")
        verbose_name_plural = _("社情民意联系点")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="contactpoint_name_unique")]


class HandlingUnit(NamedScoped):
    """承办单位: a government department (or court, procuratorate, company...) that answers proposals."""

    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta(NamedScoped.Meta):
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="unit_name_unique")]


class Member(CommitteeScoped):
    """A member (委员) of one committee in one term. Private data: mobile, birth date, id number."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class State(models.TextChoices):
        ACTIVE = "active", _("在任")
        ENDED = "ended", _("已退出")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_profiles",
        verbose_name=_("账户"),
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="members", verbose_name=_("届"))
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="members", verbose_name=_("界别"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="members", verbose_name=_("党派团体"))
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    is_standing = models.BooleanField(_("常委"), default=False)
    special_committees = models.ManyToManyField(
        SpecialCommittee, blank=True, related_name="members", verbose_name=_("所属专委会")
    )
    sub_district = models.ForeignKey(
        SubDistrict, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name=_("联系街道")
    )
    studio = models.ForeignKey(
        Studio, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name=_("委员工作室")
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.ACTIVE)
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    ended_reason = models.TextField(_("退出原因"), blank=True)
    # Optimistic lock: a save carries the version it read; a stale version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["sector__order", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "mobile"], name="member_mobile_unique"),
            models.UniqueConstraint(
                fields=["committee", "user"], condition=Q(user__isnull=False), name="member_user_unique"
            ),
        ]
        indexes = [models.Index(fields=["committee", "state", "name"])]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A role a user holds in a committee (one row a role). Unit staff name their handling unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    handling_unit = models.ForeignKey(
        HandlingUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff",
        verbose_name=_("承办单位"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [models.UniqueConstraint(fields=["user", "committee", "role"], name="membership_unique")]
        indexes = [models.Index(fields=["committee", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.committee} · {self.get_role_display()}"


class Nomination(CommitteeScoped):
    """A candidate going through the nomination steps of the seed (界别推荐 → … → 全体会议审议)."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Member.Gender.choices, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20)
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("届"))
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("界别"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("党派团体"))
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    recommended_by = models.CharField(_("推荐单位"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(_("状态"), max_length=16, default="recommended")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("委员")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("委员提名")
        verbose_name_plural = _("委员提名")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ExitReview(CommitteeScoped):
    """The exit review (退出) of a member: opened by staff or by a threshold, decided by staff."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="exit_reviews", verbose_name=_("委员"))
    grounds = models.TextField(_("启动原因"))
    state = models.CharField(_("状态"), max_length=16, default="open")
    decision = models.TextField(_("决定说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("退出审查")
        verbose_name_plural = _("退出审查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.grounds[:20]}"


class Liaison(CommitteeScoped):
    """A talk (谈心谈话) or visit (走访看望) with a member: what they raised and the answer given."""

    class Kind(models.TextChoices):
        TALK = "talk", _("谈心谈话")
        VISIT = "visit", _("走访看望")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("委员"))
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("日期"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )
    participants = models.CharField(_("参加人员"), max_length=200, blank=True)
    raised = models.TextField(_("委员反映的意见"))
    answer = models.TextField(_("答复与回应"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系委员记录")
        verbose_name_plural = _("联系委员记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.date}"
