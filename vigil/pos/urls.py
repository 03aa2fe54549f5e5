"""Pages of the POS app."""

from django.urls import path

from vigil.pos import views

app_name = "pos"

urlpatterns = [
    path("pos/", views.exception_list, name="exception-list"),
    path("pos/export.<str:file_format>", views.exception_export, name="exception-export"),
    path("pos/exceptions/reviews/", views.exception_bulk_review, name="exception-bulk-review"),
    path("pos/reasons/", views.reason_list, name="reason-list"),
    path("pos/ranking-access/", views.ranking_access, name="ranking-access"),
    path("pos/employees/", views.employee_list, name="employee-list"),
    path("pos/employees/<str:employee_id>/", views.employee_detail, name="employee-detail"),
    path("pos/exceptions/<int:exception_id>/", views.exception_detail, name="exception-detail"),
    path(
        "pos/exceptions/<int:exception_id>/review/",
        views.exception_review,
        name="exception-review",
    ),
    path(
        "pos/exceptions/<int:exception_id>/escalation/",
        views.exception_escalation,
        name="exception-escalation",
    ),
    path("pos/data-sets/", views.data_set_list, name="data-set-list"),
    path("pos/data-sets/import/", views.data_set_import, name="data-set-import"),
    path("pos/data-sets/<int:data_set_id>/scans/", views.data_set_scan, name="data-set-scan"),
]
