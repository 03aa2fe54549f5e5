"""The search page."""

from django.urls import path

from vigil.search import views

app_name = "search"

urlpatterns = [path("search/", views.results, name="results")]
