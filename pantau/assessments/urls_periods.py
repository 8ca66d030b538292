from django.urls import URLPattern

app_name = "assessment_periods"
urlpatterns: list[URLPattern] = []
