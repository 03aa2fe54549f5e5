"""Pages of the intelligence app. URL kwargs name what they hold (profile_id …)."""

from django.urls import path

from vigil.intel import views

app_name = "intel"

urlpatterns = [
    path("intel/", views.overview, name="overview"),
    path("intel/profiles/<int:profile_id>/", views.profile_detail, name="profile-detail"),
    path("intel/networks/<int:network_id>/", views.network_detail, name="network-detail"),
    path("intel/networks/<int:network_id>/case/", views.network_case, name="network-case"),
    path(
        "intel/suggestions/<int:suggestion_id>/decision/",
        views.suggestion_decision,
        name="suggestion-decision",
    ),
    path("intel/ignored-values/", views.ignored_values, name="ignored-values"),
    path("intel/runs/", views.run_new, name="run-new"),
]
