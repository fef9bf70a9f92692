"""API of evaluation (skeleton: filled by the capability)."""

from ninja import Router

router = Router(tags=["evaluation"])
