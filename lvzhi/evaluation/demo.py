"""Demo data of evaluation (skeleton: filled by the capability). Idempotent."""


def load(committee):
    return None
