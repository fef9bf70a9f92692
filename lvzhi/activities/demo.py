"""Demo data of activities (skeleton: filled by the capability). Idempotent."""


def load(committee):
    return None
