from django.urls import path  # noqa: F401

app_name = "complaints"
urlpatterns: list[object] = []  # filled by the views of issue 10 (intake and tracking / staff and provider queues)
