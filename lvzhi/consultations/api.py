"""API of consultations (skeleton: filled by the capability)."""

from ninja import Router

router = Router(tags=["consultations"])
