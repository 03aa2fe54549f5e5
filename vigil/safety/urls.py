"""Pages of the safety app."""

from django.urls import path

from vigil.safety import osha_views, views

app_name = "safety"

urlpatterns = [
    path("safety/", views.overview, name="overview"),
    path("safety/emergencies/start/", views.start, name="emergency-start"),
    path(
        "safety/emergencies/<str:emergency_number>/",
        views.emergency_detail,
        name="emergency-detail",
    ),
    path(
        "safety/emergencies/<str:emergency_number>/timeline.pdf",
        views.emergency_report,
        name="emergency-report",
    ),
    path("safety/osha/", osha_views.osha_start, name="osha"),
    path("safety/osha/<str:store_code>/<int:year>/", osha_views.osha_log, name="osha-log"),
    path(
        "safety/osha/<str:store_code>/<int:year>/cases/new/",
        osha_views.osha_case_new,
        name="osha-case-new",
    ),
    path(
        "safety/osha/<str:store_code>/<int:year>/<str:kind>.csv",
        osha_views.osha_download,
        name="osha-download",
    ),
    path("safety/hazards/", views.hazard_list, name="hazard-list"),
    path("safety/hazards/<str:hazard_number>/", views.hazard_detail, name="hazard-detail"),
    path("safety/hazards/<str:hazard_number>/photo/", views.hazard_photo, name="hazard-photo"),
    path(
        "safety/emergencies/<str:emergency_number>/<str:action>/",
        views.emergency_action,
        name="emergency-action",
    ),
]
