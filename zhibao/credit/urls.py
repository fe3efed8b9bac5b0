from django.urls import path

from zhibao.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("orgs/<int:pk>/", views.credit_file, name="file"),
    path("facts/new/", views.fact_create, name="fact_create"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/<str:action>/", views.listing_action, name="listing_action"),
    path("repairs/<int:pk>/review/", views.repair_review, name="repair_review"),
]
