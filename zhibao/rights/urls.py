from django.urls import path

from zhibao.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.right_list, name="list"),
    path("new/", views.right_create, name="create"),
    path("import/", views.right_import, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("import/<int:pk>/report.csv", views.import_report, name="import_report"),
    path("<int:pk>/", views.right_detail, name="detail"),
    path("<int:pk>/licences/", views.licence_add, name="licence_add"),
]
