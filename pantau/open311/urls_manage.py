"""``/kelola/open311/``: the national admin's screen for the Open311 API keys (list, issue, revoke)."""

from django.urls import path

from pantau.open311 import views_manage

app_name = "open311_manage"
urlpatterns = [
    path("kelola/open311/", views_manage.clients, name="list"),
    path("kelola/open311/<id:pk>/cabut/", views_manage.client_revoke, name="revoke"),  # POST only
]
