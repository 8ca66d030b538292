from django.urls import path

from pantau.accounts import views, views_users

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("sandi/lupa/", views.password_reset, name="password_reset"),
    path("sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path("sandi/atur/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("sandi/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path("pengguna/", views_users.users, name="users"),
    path("pengguna/undang/", views.invite, name="invite"),
    path("pengguna/<id:pk>/", views_users.user, name="user"),
    path("pengguna/<id:pk>/nonaktifkan/", views_users.user_deactivate, name="user_deactivate"),
    path("pengguna/<id:pk>/aktifkan/", views_users.user_reactivate, name="user_reactivate"),
    path("pengguna/<id:pk>/buka-kunci/", views_users.user_unlock, name="user_unlock"),
    path("pengguna/peran/<id:pk>/ubah/", views_users.membership_edit, name="membership_edit"),
    path("pengguna/peran/<id:pk>/hapus/", views_users.membership_remove, name="membership_remove"),
    path("pengguna/undangan/<id:pk>/cabut/", views_users.invitation_revoke, name="invitation_revoke"),
    path("pengguna/undangan/<id:pk>/kirim-ulang/", views_users.invitation_resend, name="invitation_resend"),
    path("undangan/<str:token>/", views.accept, name="accept"),
    path("token/", views.tokens, name="tokens"),
    path("token/<id:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
