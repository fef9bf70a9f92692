from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from lvzhi.api import api
from lvzhi.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("lvzhi.accounts.urls")),
    path("org/", include("lvzhi.org.urls")),
    path("proposals/", include("lvzhi.proposals.urls")),
    path("public/", include("lvzhi.proposals.urls_public")),
    path("meetings/", include("lvzhi.meetings.urls")),
    path("opinions/", include("lvzhi.opinions.urls")),
    path("consultations/", include("lvzhi.consultations.urls")),
    path("activities/", include("lvzhi.activities.urls")),
    path("evaluation/", include("lvzhi.evaluation.urls")),
    path("", include("lvzhi.core.urls")),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
