"""Pages of retention and legal hold."""

from django.urls import path

from vigil.retention import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.overview, name="overview"),
    # Each names its record by the URL value every app uses, so the write check finds it
    # (404 outside one's stores) before it refuses the role (403).
    path("retention/holds/cases/<str:case_number>/", views.hold_new, name="case-hold-new"),
    path(
        "retention/holds/incidents/<str:incident_number>/",
        views.hold_new,
        name="incident-hold-new",
    ),
    path("retention/holds/subjects/<int:subject_id>/", views.hold_new, name="subject-hold-new"),
    path("retention/holds/<int:hold_id>/release/", views.hold_release, name="hold-release"),
]
