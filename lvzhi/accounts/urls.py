from django.urls import path

from . import views, views_help

app_name = "accounts"
urlpatterns = [
    path("", views.account_view, name="account"),
    path("login/", views.login_view, name="login"),
    path("login/two-step/", views.totp_login_view, name="login_totp"),
    path("login/cancel/", views.login_cancel, name="login_cancel"),
    path("login/sms/", views.sms_login_view, name="sms_login"),
    path("login/sms/code/", views.sms_verify_view, name="sms_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_view, name="password"),
    path("two-step/", views.totp_view, name="totp"),
    path("help/<int:user_id>/unlock/", views_help.unlock, name="help_unlock"),
    path("help/<int:user_id>/totp-reset/", views_help.totp_reset, name="help_totp_reset"),
]
