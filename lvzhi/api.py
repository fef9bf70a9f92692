"""The HTTP API under /api/v1/: assembles each capability's router. OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="履职通 API", version="1", urls_namespace="api")
