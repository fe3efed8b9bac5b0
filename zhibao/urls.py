"""URL map: pages per app, the JSON API under /api/, and /healthz."""

from django.urls import include, path

from zhibao.api import api
from zhibao.core import views as core_views

urlpatterns = [
    path("", core_views.dashboard, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", api.urls),
    path("", include("zhibao.core.urls")),
    path("accounts/", include("zhibao.accounts.urls")),
    path("orgs/", include("zhibao.orgs.urls")),
    path("rights/", include("zhibao.rights.urls")),
    path("law/", include("zhibao.legal.urls")),
    path("evidence/", include("zhibao.evidence.urls")),
    path("monitoring/", include("zhibao.monitoring.urls")),
    path("verify/", include("zhibao.evidence.public_urls")),
    path("notifications/", include("zhibao.notifications.urls")),
    path("takedown/", include("zhibao.takedown.urls")),
    path("fairs/", include("zhibao.fairs.urls")),
    path("cases/", include("zhibao.cases.urls")),
    path("credit/", include("zhibao.credit.urls")),
    path("public/credit/", include("zhibao.credit.public_urls")),
]

handler404 = "zhibao.core.views.not_found"
handler403 = "zhibao.core.views.forbidden"
handler500 = "zhibao.core.views.server_error"
