"""Pages of the investigations app. URL kwargs name what they hold (incident_number …)."""

from django.urls import path

from vigil.cases.views import casework, court, incidents, linking, statements, subjects

app_name = "cases"

urlpatterns = [
    path("incidents/", incidents.incident_list, name="incident-list"),
    path("incidents/new/", incidents.incident_new, name="incident-new"),
    path("incidents/<str:incident_number>/", incidents.incident_detail, name="incident-detail"),
    path("incidents/<str:incident_number>/edit/", incidents.incident_edit, name="incident-edit"),
    path("incidents/<str:incident_number>/parties/", incidents.party_add, name="party-add"),
    path(
        "incidents/<str:incident_number>/report.pdf",
        incidents.incident_report,
        name="incident-report",
    ),
    path("incidents/<str:incident_number>/stops/new/", incidents.stop_new, name="stop-new"),
    path(
        "incidents/<str:incident_number>/statements/new/",
        statements.statement_new,
        name="statement-new",
    ),
    path("narrative-check/", incidents.narrative_check, name="narrative-check"),
    path("stops/<int:stop_id>/", incidents.stop_detail, name="stop-detail"),
    path(
        "cases/<str:case_number>/statements/new/",
        statements.statement_new_on_case,
        name="case-statement-new",
    ),
    path("statements/<int:statement_id>/", statements.statement_detail, name="statement-detail"),
    path(
        "statements/<int:statement_id>/signature/", statements.statement_sign, name="statement-sign"
    ),
    path(
        "statements/<int:statement_id>/versions/",
        statements.statement_revise,
        name="statement-revise",
    ),
    path(
        "statements/<int:statement_id>/statement.pdf",
        statements.statement_pdf,
        name="statement-pdf",
    ),
    path("cases/", casework.case_list, name="case-list"),
    path("cases/new/", casework.case_new, name="case-new"),
    path("cases/<str:case_number>/", casework.case_detail, name="case-detail"),
    path("cases/<str:case_number>/edit/", casework.case_edit, name="case-edit"),
    path("cases/<str:case_number>/closure/", casework.case_close, name="case-close"),
    path("cases/<str:case_number>/reopening/", casework.case_reopen, name="case-reopen"),
    path("cases/<str:case_number>/links/", linking.link_add, name="link-add"),
    path(
        "cases/<str:case_number>/links/candidates/",
        linking.link_candidates,
        name="link-candidates",
    ),
    path("cases/<str:case_number>/subjects/", linking.case_subject_new, name="case-subject-new"),
    path("cases/<str:case_number>/vehicles/", linking.case_vehicle_new, name="case-vehicle-new"),
    path(
        "cases/<str:case_number>/links/<int:link_id>/removal/",
        casework.link_remove,
        name="link-remove",
    ),
    path("cases/<str:case_number>/tasks/", casework.task_add, name="task-add"),
    path("cases/<str:case_number>/notes/", casework.note_add, name="note-add"),
    path("cases/<str:case_number>/timeline/", casework.timeline_add, name="timeline-add"),
    path("cases/<str:case_number>/report.pdf", casework.case_report, name="case-report"),
    path("cases/<str:case_number>/hearings/", court.hearing_new, name="hearing-new"),
    path("hearings/<int:hearing_id>/", court.hearing_detail, name="hearing-detail"),
    path("cases/<str:case_number>/court-outcome/", court.outcome_edit, name="court-outcome"),
    path(
        "cases/<str:case_number>/testimony-pack.pdf",
        court.testimony_pack,
        name="testimony-pack",
    ),
    path("cases/<str:case_number>/civil-demands/", court.demand_new, name="civil-demand-new"),
    path("civil-demands/<int:demand_id>/", court.demand_detail, name="civil-demand-detail"),
    path("civil-demands/<int:demand_id>/letter.pdf", court.letter_draft, name="civil-letter-draft"),
    path("civil-demands/<int:demand_id>/letters/", court.letter_send, name="civil-letter-send"),
    path("civil-demands/<int:demand_id>/payments/", court.payment_add, name="civil-payment-add"),
    path("civil-letters/<int:letter_id>/letter.pdf", court.letter_pdf, name="civil-letter"),
    path("tasks/<int:task_id>/status/", casework.task_status, name="task-status"),
    path("tasks/<int:task_id>/", casework.task_update, name="task-update"),
    path("notes/<int:note_id>/", casework.note_detail, name="note-detail"),
    path("subjects/", subjects.subject_list, name="subject-list"),
    path("subjects/new/", subjects.subject_form, name="subject-new"),
    path("subjects/<int:subject_id>/", subjects.subject_detail, name="subject-detail"),
    path("subjects/<int:subject_id>/edit/", subjects.subject_form, name="subject-edit"),
    path("vehicles/", subjects.vehicle_list, name="vehicle-list"),
    path("vehicles/new/", subjects.vehicle_form, name="vehicle-new"),
    path("vehicles/<int:vehicle_id>/", subjects.vehicle_detail, name="vehicle-detail"),
    path("vehicles/<int:vehicle_id>/edit/", subjects.vehicle_form, name="vehicle-edit"),
]
