"""Demo data of opinions (skeleton: filled by the capability). Idempotent."""


def load(committee):
    return None
