from django.urls import path  # noqa: F401

app_name = "self_assessment"
urlpatterns: list = []
