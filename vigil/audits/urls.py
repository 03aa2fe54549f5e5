"""Pages of the audits app."""

from django.urls import path

from vigil.audits import views

app_name = "audits"

urlpatterns = [
    path("audits/", views.audit_list, name="audit-list"),
    path("audits/start/", views.walk_start, name="walk-start"),
    path("audits/schedules/", views.schedule_defaults, name="schedule-defaults"),
    path("audits/history/", views.history, name="history"),
    path("audits/walks/", views.walk_list, name="walk-list"),
    path("audits/walks/<str:walk_number>/", views.walk_detail, name="walk-detail"),
    path("audits/walks/<str:walk_number>/answers/", views.walk_answer, name="walk-answer"),
    path(
        "audits/walks/<str:walk_number>/photos/<str:item_key>/",
        views.walk_photo,
        name="walk-photo",
    ),
    path("audits/walks/<str:walk_number>/complete/", views.walk_complete, name="walk-complete"),
    path("audits/walks/<str:walk_number>/report.pdf", views.walk_report, name="walk-report"),
    path("audits/actions/", views.action_list, name="action-list"),
    path("audits/actions/<str:action_number>/", views.action_detail, name="action-detail"),
    path(
        "audits/actions/<str:action_number>/photos/<str:which>/",
        views.action_photo,
        name="action-photo",
    ),
]
