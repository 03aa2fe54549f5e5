from django.urls import path

from vigil.sharing import portal, views

app_name = "sharing"

urlpatterns = [
    # The company's side.
    path("sharing/", views.grant_list, name="grant-list"),
    path("sharing/grants/<int:grant_id>/revocation/", views.grant_revoke, name="grant-revoke"),
    path("sharing/agencies/", views.agency_list, name="agency-list"),
    path("sharing/agencies/<int:agency_id>/", views.agency_detail, name="agency-detail"),
    path("sharing/<str:record_kind>/<str:reference>/", views.grant_new, name="grant-new"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<str:request_number>/", views.request_detail, name="request-detail"),
    path("requests/<str:request_number>/shares/", views.request_share, name="request-share"),
    path("requests/<str:request_number>/answer/", views.request_close, name="request-close"),
    # The portal: police, legal and insurers.
    path("portal/", portal.shared_list, name="portal"),
    path("portal/items/<int:grant_id>/", portal.shared_item, name="portal-item"),
    path("portal/items/<int:grant_id>/download/", portal.shared_download, name="portal-download"),
    path("portal/requests/", portal.request_list, name="portal-requests"),
    path("portal/requests/new/", portal.request_new, name="portal-request-new"),
    path("portal/requests/<str:request_number>/", portal.request_detail, name="portal-request"),
]
