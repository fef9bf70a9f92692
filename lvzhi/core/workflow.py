"""The workflow engine. A workflow is data: a table of transitions (from state, action, to state, which
roles, guard, whether a reason is required). `apply` runs one transition under a row lock, refuses what
the table does not allow with a clear message, and writes an Event in the same transaction.

Each capability declares its workflows in its own `workflow.py`; `WORKFLOWS` lists them all by name.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
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
    from .permissions import roles_of

    data = data if data is not None else {}  # on_apply may add to it (a number given under the lock)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        state = getattr(locked, workflow.state_field)
        transition = workflow.find(state, action)
        if transition is None:
            raise TransitionRefused(
                _("当前状态为「%(state)s」,不能执行此操作。") % {"state": workflow.state_label(state)}
            )
        held = set(roles) if roles is not None else ({SYSTEM} if by is None else roles_of(by, committee_of(locked)))
        if not transition.roles & held:
            raise TransitionRefused(_("您没有执行「%(action)s」的权限。") % {"action": transition.label})
        if transition.reason_required and not reason:
            raise TransitionRefused(_("「%(action)s」需要填写理由。") % {"action": transition.label})
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
            fields = {workflow.state_field, *(changes or {})}
            fields |= {f.name for f in locked._meta.concrete_fields if getattr(f, "auto_now", False)}
            locked.save(update_fields=fields)
        event = events.record(
            subject=locked,
            action=f"{workflow.name}.{action}",
            actor=by,
            from_state=state,
            to_state=transition.target,
            reason=reason,
            data=data,
        )
    for name in [workflow.state_field, *(changes or {})]:
        setattr(obj, name, getattr(locked, name))
    return event
