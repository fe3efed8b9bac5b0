from django.urls import path

from zhibao.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.deposit_list, name="list"),
    path("new/", views.deposit_create, name="create"),
    path("checklists/", views.checklist, name="checklist"),
    path("<str:deposit_no>/", views.deposit_detail, name="detail"),
    path("<str:deposit_no>/certificate.pdf", views.certificate, name="certificate"),
    path("<str:deposit_no>/bundle.zip", views.bundle, name="bundle"),
]
