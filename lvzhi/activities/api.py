"""API of activities (skeleton: filled by the capability)."""

from ninja import Router

router = Router(tags=["activities"])
