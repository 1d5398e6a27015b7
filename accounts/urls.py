from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/login", api.LoginView.as_view()),
    path("auth/refresh", api.RefreshView.as_view()),
    path("auth/logout", api.LogoutView.as_view()),
    path("auth/register", api.RegisterView.as_view()),
    path("customers", api.RegisterView.as_view()),
    path("customers/me", api.CustomerMeView.as_view()),
    path("customers/me/sessions", api.SessionListView.as_view()),
    path("customers/me/sessions/<str:session_id>", api.SessionDetailView.as_view()),
    path("password_resets", api.PasswordResetCreateView.as_view()),
    path("password_resets/<str:token>", api.PasswordResetUpdateView.as_view()),
]
