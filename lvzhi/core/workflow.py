"""The workflow engine. A workflow is data: a table of transitions (from state, action, to state, which
roles, guard, whether a reason is required). `apply` runs one transition under a row lock, refuses what
the table does not allow with a clear message, and writes an Event in the same transaction.

A workflow on the platform's hottest path (attendance: 2,200 members at the door) may declare
`compare_and_set=True`: a transition without a guard or an `on_apply`, on a model no pre_save/post_save
receiver listens to, is then written as ONE conditional UPDATE ("… WHERE pk = %s AND state = <the state the
caller read>") instead of a locking read and an UPDATE. When that UPDATE finds nothing (the row changed
since the caller read it), the transition is taken again the usual way, under the row lock, from the
state the database holds: the outcome is the one the locking path gives, one query fewer when nothing
raced.

Each capability declares its workflows in its own `workflow.py`; `WORKFLOWS` lists them all by name.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .roles import SYSTEM
from .tenancy import committee_of

WORKFLOWS: dict[str, "Workflow"] = {}


class TransitionRefused(Exception):
    """The transition is not allowed; `message` says why in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Transition:
    source: tuple[str, ...]
    action: str
    target: str
    roles: frozenset[str]
    label: str
    reason_required: bool = False
    # guard(obj, data) -> None when allowed, or the message that says why not.
    guard: Callable | None = None


@dataclass
class Workflow:
    name: str
    states: dict[str, str]  # state -> label (lazy translated)
    transitions: list[Transition] = field(default_factory=list)
    state_field: str = "state"
    compare_and_set: bool = False  # see the module's docstring

    def __post_init__(self):
        seen = set()
        for t in self.transitions:
            for s in t.source:
                if s not in self.states or t.target not in self.states:
                    raise ValueError(f"{self.name}: unknown state in {t}")
                if (s, t.action) in seen:
                    raise ValueError(f"{self.name}: two transitions for ({s}, {t.action})")
                seen.add((s, t.action))
            events.ACTION_LABELS.setdefault(f"{self.name}.{t.action}", t.label)
        WORKFLOWS[self.name] = self

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def find(self, state: str, action: str) -> Transition | None:
        for t in self.transitions:
            if state in t.source and t.action == action:
                return t
        return None

    def available(self, obj, roles: Iterable[str]) -> list[Transition]:
        """Transitions the holder of `roles` may take from the object's current state."""
        roles = set(roles)
        state = getattr(obj, self.state_field)
        return [
            t for t in self.transitions if state in t.source and t.roles & roles and not (t.guard and t.guard(obj, {}))
        ]


def t(source, action: str, target: str, roles, label, *, reason: bool = False, guard=None) -> Transition:
    """Shorthand for writing transition tables."""
    if isinstance(source, str):
        source = (source,)
    return Transition(tuple(source), action, target, frozenset(roles), label, reason, guard)


def apply(
    workflow: Workflow,
    obj,
    action: str,
    *,
    by,
    reason: str = "",
    data: dict | None = None,
    changes: dict | None = None,
    on_apply: Callable | None = None,
    roles: Iterable[str] | None = None,
):
    """Apply `action` to `obj` as user `by` (None for the platform itself).

    `changes` are field values written with the new state; `on_apply(locked_obj)` may do more work in the
    same transaction (create related rows). Returns the Event. Raises TransitionRefused.
    """
    data = data if data is not None else {}  # on_apply may add to it (a number given under the lock)
    reason = (reason or "").strip()
    with transaction.atomic():
        event = _compare_and_set(workflow, obj, action, by=by, reason=reason, data=data, changes=changes,
                                 on_apply=on_apply, roles=roles)  # fmt: skip
        if event is not None:
            return event
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        state = getattr(locked, workflow.state_field)
        transition = workflow.find(state, action)
        if transition is None:
            raise TransitionRefused(
                _("当前状态为「%(state)s」,不能执行此操作。") % {"state": workflow.state_label(state)}
            )
        _check(transition, locked, by=by, roles=roles, reason=reason)
        if transition.guard:
            message = transition.guard(locked, data)
            if message:
                raise TransitionRefused(str(message))
        setattr(locked, workflow.state_field, transition.target)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        if on_apply:
            on_apply(locked)
            locked.save()
        else:  # only what the transition writes (and auto_now stamps): a shorter UPDATE, less to build
            locked.save(update_fields={workflow.state_field, *(changes or {}), *_auto_now(type(locked))})
        event = _record(workflow, locked, action, by=by, state=state, transition=transition, reason=reason, data=data)
    for name in [workflow.state_field, *(changes or {})]:
        setattr(obj, name, getattr(locked, name))
    return event


def _compare_and_set(workflow: Workflow, obj, action: str, *, by, reason, data, changes, on_apply, roles):
    """The transition from the state `obj` was read in, as one conditional UPDATE, or None when it must be
    taken under the row lock: the workflow does not declare `compare_and_set`, the transition has a guard
    or an `on_apply` (they read the locked row), a receiver listens to the model's saves (an UPDATE sends
    no signal), the caller's state allows no transition (the lock path says why from the current one), or
    the row is no longer in the state the caller read (someone else changed it meanwhile)."""
    model = type(obj)
    if not workflow.compare_and_set or on_apply is not None:
        return None
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        return None
    state = getattr(obj, workflow.state_field)
    transition = workflow.find(state, action)
    if transition is None or transition.guard:
        return None
    _check(transition, obj, by=by, roles=roles, reason=reason)
    now = timezone.now()
    values = {workflow.state_field: transition.target, **(changes or {}), **dict.fromkeys(_auto_now(model), now)}
    written = model._default_manager.filter(pk=obj.pk, **{workflow.state_field: state}).update(**values)
    if written != 1:
        return None
    for name, value in values.items():
        setattr(obj, name, value)
    return _record(workflow, obj, action, by=by, state=state, transition=transition, reason=reason, data=data)


def _check(transition: Transition, obj, *, by, roles, reason: str) -> None:
    """Refuse a user without one of the transition's roles in the object's committee, or a missing reason."""
    from .permissions import roles_of

    held = set(roles) if roles is not None else ({SYSTEM} if by is None else roles_of(by, committee_of(obj)))
    if not transition.roles & held:
        raise TransitionRefused(_("您没有执行「%(action)s」的权限。") % {"action": transition.label})
    if transition.reason_required and not reason:
        raise TransitionRefused(_("「%(action)s」需要填写理由。") % {"action": transition.label})


def _auto_now(model) -> list[str]:
    """The model's auto_now stamps (written with every transition)."""
    return [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def _record(workflow: Workflow, subject, action: str, *, by, state, transition, reason, data):
    return events.record(
        subject=subject,
        action=f"{workflow.name}.{action}",
        actor=by,
        from_state=state,
        to_state=transition.target,
        reason=reason,
        data=data,
    )
