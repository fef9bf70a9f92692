"""Shared pieces of the HTTP API under /api/v1/ (django-ninja): authentication, the current committee,
permission checks, error answers in the user's language, and small schema helpers.

How a capability adds its endpoints (the pattern every router follows)::

    # lvzhi/<capability>/api.py
    from ninja import Router
    from lvzhi.core.api import get_scoped, requires, responses

    router = Router(tags=["提案"])

    @router.get("/proposals/{proposal_id}", response=responses(200, ProposalOut), auth=requires("proposals.view"))
    def proposal_detail(request, proposal_id: int):    # without the perm: 403 with a Chinese message
        # request.user, request.committee and request.roles are set, as on the pages
        return get_scoped(Proposal, request, proposal_id)  # another committee's row is 404

    # lvzhi/api.py
    api.add_router("", "lvzhi.proposals.api.router")

- Authentication (every endpoint unless it says `auth=None`): `Authorization: Bearer <token>` (a token
  from `POST /api/v1/auth/token`), or the Django session for the pages' own JavaScript, which must send
  the CSRF token (`X-CSRFToken`) on writes. Without either: 401.
- Permissions: `auth=requires("<perm>")` on each endpoint (the perms of the pages, in
  lvzhi/core/permissions.py); it runs with authentication, before the input is validated, so a user
  without the perm gets 403 whatever they send. Checks that need the object: `check(request, perm)`
  or a scoped query inside the endpoint. Every endpoint about committee data states its perm (`core.use`
  at least); the default `AUTH` only proves who the caller is (enough for /me and /committees).
- Committee: a call acts in one committee, named by the header `X-Committee: <id>`; without the header,
  the committee chosen in the session (pages) or the user's first committee. A committee in which the
  user holds no role answers 404 "委员会不存在", whether or not it exists.
- Writes call the capability's services, never the ORM directly. The error handlers installed by
  `install(api)` turn the services' exceptions into answers, so endpoints need no try/except:
  Django `ValidationError` and pydantic errors → 422 `{"detail", "errors": [{"field", "message"}]}`;
  `TransitionRefused` and other `Conflict`s (stale edits) → 409; `PermissionDenied` → 403; `Http404` → 404.
  Every message is a gettext string, answered in the language of `Accept-Language` or the
  `lvzhi_language` cookie (Chinese by default).
- Input schemas subclass `Input` (unknown fields are refused) and use `Text(max)` for strings and `Id`
  for primary keys, so that no input can reach the database in a form it would refuse with a 500
  (NUL characters, integers beyond 64 bits).
"""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf
from pydantic import AfterValidator, ConfigDict, Field

from lvzhi.accounts.models import ApiToken

from .middleware import SESSION_KEY, resolve_committee
from .permissions import roles_of
from .workflow import TransitionRefused

MAX_ID = 2**63 - 1  # the largest primary key any supported database stores


# --------------------------------------------------------------------------- errors


class Conflict(Exception):
    """A write refused because of the object's current state (answered 409). Services may raise their
    own exceptions; register them with `CONFLICTS` below or subclass this."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _conflicts() -> tuple[type[Exception], ...]:
    from lvzhi.org.services import StaleEdit

    return (Conflict, TransitionRefused, StaleEdit)


def committee_not_found() -> HttpError:
    return HttpError(404, _("委员会不存在"))


def _field_of(loc) -> str | None:
    """The input field an error is about: the last name in the location that is not a container."""
    names = [str(p) for p in (loc or ()) if isinstance(p, str) and p not in ("body", "query", "path", "payload")]
    return names[-1] if names else None


def pydantic_message(error: dict) -> str:
    """A pydantic error as a plain sentence in the user's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("此项为必填项。")
    if kind == "extra_forbidden":
        return _("不认识的字段。")
    if kind in ("string_too_long", "too_long"):
        return _("不能超过 %(max)s 个字符。") % {"max": ctx.get("max_length", "")}
    if kind in ("string_too_short", "too_short"):
        return _("此项不能为空。")
    if kind in ("string_type", "string_unicode"):
        return _("请输入文字。")
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return _("请输入整数。")
    if kind in ("bool_type", "bool_parsing"):
        return _("请输入 true 或 false。")
    if kind.startswith("date"):
        return _("请输入有效的日期(年-月-日)。")
    if kind in ("literal_error", "enum"):
        return _("请从给定的选项中选择:%(expected)s。") % {"expected": ctx.get("expected", "")}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("数值超出允许范围。")
    if kind == "list_type":
        return _("请输入一个列表。")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("请求内容应为一个 JSON 对象。")
    if kind == "value_error" and ctx.get("error"):
        # our validators raise ValueError with a translated sentence (ninja passes it on as text)
        error = ctx["error"]
        return str(error.args[0] if isinstance(error, ValueError) and error.args else error)
    return _("输入无效。")


def _invalid(api: NinjaAPI, request: HttpRequest, errors: list[dict]):
    return api.create_response(request, {"detail": _("输入有误,请检查后重试。"), "errors": errors}, status=422)


def install(api: NinjaAPI) -> None:
    """Install the error handlers every router relies on (called once in lvzhi/api.py)."""

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc):
        return _invalid(
            api, request, [{"field": _field_of(e.get("loc")), "message": pydantic_message(e)} for e in exc.errors]
        )

    @api.exception_handler(DjangoValidationError)
    def on_validation_error(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": None if name == "__all__" else name, "message": message}
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": None, "message": message} for message in exc.messages]
        return _invalid(api, request, errors)

    def on_conflict(request, exc):
        return api.create_response(request, {"detail": getattr(exc, "message", str(exc))}, status=409)

    for kind in _conflicts():
        api.add_exception_handler(kind, on_conflict)

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc):
        return api.create_response(request, {"detail": str(exc) or _("您没有执行此操作的权限。")}, status=403)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, {"detail": _("未找到。")}, status=404)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return api.create_response(request, {"detail": _("请先登录。")}, status=401)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = _("请求内容不是有效的 JSON。")
        return api.create_response(request, {"detail": message}, status=exc.status_code)


# --------------------------------------------------------------------------- auth and committee


def bind(request: HttpRequest, user, wanted=None, *, explicit: bool = False) -> None:
    """Set request.user, request.committee and request.roles as CommitteeMiddleware does for pages.

    `explicit`: the caller named the committee (X-Committee); one without a role there is 404."""
    committee = resolve_committee(user, wanted)
    if explicit and (committee is None or str(committee.pk) != str(wanted).strip()):
        raise committee_not_found()
    request.user = user
    request.committee = committee
    request.roles = roles_of(user, committee)


def _bind_from_headers(request: HttpRequest, user, fallback=None) -> None:
    header = request.headers.get("X-Committee")
    if header is not None and header.strip():
        bind(request, user, header.strip(), explicit=True)
    else:
        bind(request, user, fallback)


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token's digest is looked up (see accounts.ApiToken).

    With `perm`, the user must also hold that perm in the current committee (else 403)."""

    def __init__(self, perm: str | None = None):
        self.perm = perm
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str):
        if not token or len(token) > 200:
            return None
        user = ApiToken.user_for(token)
        if user is None:
            return None
        _bind_from_headers(request, user)
        if self.perm:
            check(request, self.perm)
        return user


class SessionAuth(NinjaSessionAuth):
    """The Django session of the pages; writes need the CSRF token as on any form. `perm` as above."""

    def __init__(self, perm: str | None = None, csrf: bool = True):
        self.perm = perm
        super().__init__(csrf=csrf)

    def _get_key(self, request: HttpRequest):
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF 校验失败,请刷新页面后重试。"))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        _bind_from_headers(request, user, request.session.get(SESSION_KEY))
        if self.perm:
            check(request, self.perm)
        return user


# Any signed-in user, in any committee (the API's default).
AUTH = [BearerAuth(), SessionAuth()]


def requires(perm: str) -> list:
    """The `auth` of an endpoint that needs `perm` in the current committee:

        @router.post("/members", auth=requires("org.manage_members"), ...)

    The check runs with authentication, before the body is validated: a user without the perm gets
    403 whatever they send. Same perms as the pages (lvzhi/core/permissions.py)."""
    return [BearerAuth(perm), SessionAuth(perm)]


# --------------------------------------------------------------------------- permissions and lookups


def check(request: HttpRequest, perm: str) -> None:
    """Refuse with 403 unless the user holds `perm` in the current committee."""
    if request.committee is None:
        raise HttpError(403, _("您还没有加入任何委员会。"))
    if not request.user.has_perm(perm, request.committee):
        raise HttpError(403, _("您在本委员会没有执行此操作的权限。"))


def current_member(request: HttpRequest):
    """The caller's active Member row in the current committee (None if they are not a member there),
    read once per request."""
    if not hasattr(request, "_lvzhi_member"):
        from lvzhi.org.models import Member

        request._lvzhi_member = (
            Member.objects.filter(committee=request.committee, user=request.user, state=Member.State.ACTIVE)
            .select_related("sector")
            .first()
        )
    return request._lvzhi_member


def require_member(request: HttpRequest):
    """current_member, or 403 with a clear message."""
    member = current_member(request)
    if member is None:
        raise PermissionDenied(_("您不是本委员会的在任委员。"))
    return member


def get_scoped(model, request: HttpRequest, pk, queryset=None):
    """One row of the current committee; another committee's row answers 404."""
    qs = queryset if queryset is not None else model.objects.for_committee(request.committee)
    return get_object_or_404(qs, pk=pk)


def resolve_ref(model, request: HttpRequest, pk, field: str):
    """The row `pk` of the current committee for input field `field`; else a 422 on that field."""
    if pk is None:
        return None
    obj = model.objects.for_committee(request.committee).filter(pk=pk).first()
    if obj is None:
        raise DjangoValidationError({field: _("所选项目不属于本委员会。")})
    return obj


# --------------------------------------------------------------------------- schema helpers


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("不能包含控制字符。"))
    return value.strip()


def Text(max_length: int, *, min_length: int = 0):  # noqa: N802 - reads like a type in schemas
    """A string field of at most `max_length` characters, stripped, without NUL characters."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_no_nul), AfterValidator(_min(min_length))]


def _min(n: int):
    def check_min(value: str) -> str:
        if len(value) < n:
            raise ValueError(_("此项不能为空。"))
        return value

    return check_min


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(Schema):
    """Base of request bodies: unknown fields are refused with 422."""

    model_config = ConfigDict(extra="forbid")


class Ref(Schema):
    id: int
    name: str


class Page(Schema):
    count: int
    limit: int
    offset: int


class Detail(Schema):
    detail: str


class FieldError(Schema):
    field: str | None
    message: str


class Invalid(Schema):
    detail: str
    errors: list[FieldError]


def ref(obj) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj.name)}


ERRORS = {401: Detail, 403: Detail, 404: Detail, 409: Detail, 422: Invalid}


def responses(ok_status: int, ok_schema, *codes: int) -> dict:
    """A response map for an endpoint: its success schema and the error answers it may give."""
    return {ok_status: ok_schema, **{c: ERRORS[c] for c in (401, 403, 404, *codes)}}
