"""Pages of the training app."""

from django.urls import path

from vigil.training import views

app_name = "training"

urlpatterns = [
    path("training/", views.overview, name="overview"),
    path("training/assign/", views.assign, name="assign"),
    path(
        "training/assignments/<int:assignment_id>/",
        views.assignment_detail,
        name="assignment-detail",
    ),
    path(
        "training/assignments/<int:assignment_id>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
]
