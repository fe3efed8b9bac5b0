from django.contrib.auth import views as auth_views
from django.urls import path

from zhibao.accounts import views
from zhibao.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("audit/", views.audit_log, name="audit"),
    path("powers/", views.powers, name="powers"),
    path("powers/<int:power_id>/revoke/", views.revoke_power, name="revoke_power"),
]
