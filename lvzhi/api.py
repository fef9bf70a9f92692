"""The HTTP API under /api/v1/: assembles each capability's router. OpenAPI at /api/v1/openapi.json,
interactive docs at /api/v1/docs (Swagger UI served from ninja's own static files, no CDN).

Authentication, the current committee, permission checks and error answers are shared: see
lvzhi/core/api.py, whose docstring shows how a capability adds its router here.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from lvzhi.core import api as core_api


class Utf8Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as characters, not \u escapes


api = NinjaAPI(
    title="履职通 API",
    version="1",
    description="数智政协 · 委员履职平台的接口。认证:`Authorization: Bearer <令牌>`(POST /auth/token 获取)"
    "或页面会话;委员会:请求头 `X-Committee: <委员会 id>`。",
    urls_namespace="api",
    auth=core_api.AUTH,
    renderer=Utf8Renderer(),
)
core_api.install(api)

api.add_router("", "lvzhi.accounts.api.router")
api.add_router("", "lvzhi.org.api.router")
api.add_router("", "lvzhi.proposals.api.router")
api.add_router("", "lvzhi.meetings.api.router")
api.add_router("", "lvzhi.opinions.api.router")
api.add_router("", "lvzhi.consultations.api.router")
api.add_router("", "lvzhi.activities.api.router")
api.add_router("", "lvzhi.evaluation.api.router")
