from django.urls import path

from zhibao.core import views

app_name = "core"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
