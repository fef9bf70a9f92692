"""Demo data of consultations (skeleton: filled by the capability). Idempotent."""


def load(committee):
    return None
