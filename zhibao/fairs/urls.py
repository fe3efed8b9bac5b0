from django.urls import path

from zhibao.fairs import views

app_name = "fairs"
urlpatterns = [
    path("", views.fair_list, name="list"),
    path("new/", views.fair_create, name="create"),
    path("<int:pk>/", views.fair_detail, name="fair"),
    path("<int:pk>/exhibitors/", views.exhibitor_add, name="exhibitor_add"),
    path("<int:pk>/complain/", views.complaint_create, name="complain"),
    path("exhibitors/<int:pk>/", views.exhibitor_detail, name="exhibitor"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
]
