from django.urls import path  # noqa: F401

app_name = "assessment_periods"
urlpatterns: list = []
