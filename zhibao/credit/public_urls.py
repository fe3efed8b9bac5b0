from django.urls import path

from zhibao.credit import views

app_name = "credit_public"
urlpatterns = [
    path("", views.public_search, name="search"),
    path("list/", views.public_list, name="list"),
    path("dual/", views.public_dual, name="dual"),
    path("orgs/<int:pk>/", views.public_org, name="org"),
]
