from django.urls import path

from pantau.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("sandi/lupa/", views.password_reset, name="password_reset"),
    path("sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path("sandi/atur/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("sandi/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path("pengguna/", views.users, name="users"),
    path("pengguna/undang/", views.invite, name="invite"),
    path("undangan/<str:token>/", views.accept, name="accept"),
    path("token/", views.tokens, name="tokens"),
    path("token/<id:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
