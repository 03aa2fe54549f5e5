"""Pages of the reports app."""

from django.urls import path

from vigil.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/executive/", views.executive, name="executive"),
    path("reports/executive.pdf", views.executive_pdf, name="executive-pdf"),
    path("reports/store-risk/", views.store_risk, name="store-risk"),
]
