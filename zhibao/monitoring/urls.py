from django.urls import path

from zhibao.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.home, name="home"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/dismiss/", views.alert_dismiss, name="alert_dismiss"),
    path("alerts/<int:pk>/confirm/", views.alert_confirm, name="alert_confirm"),
    path("alerts/<int:pk>/draft/", views.alert_draft, name="alert_draft"),
    path("watch-lists/new/", views.watch_list_create, name="watch_list_create"),
    path("watch-lists/<int:pk>/threshold/", views.threshold, name="threshold"),
    path("import/", views.announcement_import, name="import"),
    path("risk/", views.risk_check, name="risk"),
]
