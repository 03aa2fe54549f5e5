"""Pages of the evidence vault, and the public page a share link opens."""

from django.urls import path

from vigil.evidence import package_views, redaction_views, viewing, views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.evidence_list, name="evidence-list"),
    path("evidence/new/", views.evidence_new, name="evidence-new"),
    path("evidence/<str:evidence_number>/", views.evidence_detail, name="evidence-detail"),
    path("evidence/<str:evidence_number>/view/", viewing.evidence_view, name="evidence-view"),
    path(
        "evidence/<str:evidence_number>/download/",
        viewing.evidence_download,
        name="evidence-download",
    ),
    path("evidence/<str:evidence_number>/custody/", views.custody_add, name="custody-add"),
    path(
        "evidence/<str:evidence_number>/redaction/",
        redaction_views.evidence_redaction,
        name="evidence-redaction",
    ),
    path("evidence/<str:evidence_number>/deletion/", views.evidence_delete, name="evidence-delete"),
    path(
        "evidence/<str:evidence_number>/verification/",
        views.evidence_verify,
        name="evidence-verify",
    ),
    path("packages/", package_views.package_new, name="package-new"),
    path("packages/new/", package_views.package_choose, name="package-choose"),
    path("packages/<str:package_number>/", package_views.package_detail, name="package-detail"),
    path(
        "packages/<str:package_number>/download/",
        package_views.package_download,
        name="package-download",
    ),
    path(
        "packages/<str:package_number>/verification/",
        package_views.package_verify,
        name="package-verify",
    ),
    path("packages/<str:package_number>/shares/", package_views.share_new, name="share-new"),
    path("shares/<int:share_id>/revocation/", package_views.share_revoke, name="share-revoke"),
    path("shared/<str:token>/", package_views.shared_package, name="shared-package"),
    path("shared/<str:token>/download/", package_views.shared_download, name="shared-download"),
]
