from django.urls import path

from zhibao.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("<int:notification_id>/open", views.open_notification, name="open"),
    path("read", views.mark_read, name="mark_read"),
]
