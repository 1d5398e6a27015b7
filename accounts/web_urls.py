"""Storefront pages of accounts (Django templates under templates/accounts/), under /account/."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("password/forgot/", views.password_forgot, name="password_forgot"),
    path("password/reset/<str:token>/", views.password_reset, name="password_reset"),
    path("profile/", views.profile, name="profile"),
    path("email/", views.email_change, name="email_change"),
    path("password/", views.password_change, name="password_change"),
    path("sessions/", views.sessions, name="sessions"),
    path(
        "sessions/sign-out-others/",
        views.sessions_sign_out_others,
        name="sessions_sign_out_others",
    ),
    path("sessions/<str:session_id>/sign-out/", views.session_sign_out, name="session_sign_out"),
]
