from django.urls import path

from zhibao.takedown import views

app_name = "takedown"
urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("platform/", views.platform_settings, name="platform"),
    path("metrics/", views.metrics, name="metrics"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("notices/<int:pk>/malicious/", views.notice_malicious, name="notice_malicious"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/<str:action>/", views.item_action, name="item_action"),
    path("seller/", views.seller, name="seller"),
    path("public/", views.public, name="public"),
    path("live/", views.live, name="live"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("relist-flags/<int:pk>/confirm/", views.relist_confirm, name="relist_confirm"),
]
