"""API of opinions (skeleton: filled by the capability)."""

from ninja import Router

router = Router(tags=["opinions"])
