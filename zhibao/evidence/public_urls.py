"""Public pages (no login): evidence verification."""

from django.urls import path

from zhibao.evidence import views

app_name = "public_evidence"
urlpatterns = [
    path("", views.public_verify, name="verify"),
]
