from django.urls import path

from zhibao.legal import views

app_name = "legal"
urlpatterns = [
    path("", views.index, name="index"),
    path("uscc/", views.uscc_check, name="uscc"),
    path("deadline/", views.deadline, name="deadline"),
    path("damages/", views.damages, name="damages"),
]
