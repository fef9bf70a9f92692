from django import template

from lvzhi.core.events import label
from lvzhi.core.events import timeline as events_of
from lvzhi.core.workflow import WORKFLOWS

register = template.Library()


@register.inclusion_tag("core/timeline.html")
def timeline(subject):
    """{% timeline obj %}: the object's events, oldest first, in plain words."""
    rows = []
    for event in events_of(subject):
        workflow = WORKFLOWS.get(event.action.partition(".")[0])
        to = workflow.state_label(event.to_state) if workflow and event.to_state else event.to_state
        rows.append({"event": event, "label": label(event.action), "to": to})
    return {"rows": rows}


@register.filter
def state_label(obj, workflow_name: str):
    workflow = WORKFLOWS[workflow_name]
    return workflow.state_label(getattr(obj, workflow.state_field))
