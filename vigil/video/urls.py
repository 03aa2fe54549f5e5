"""Pages of the video app."""

from django.urls import path

from vigil.video import views

app_name = "video"

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<int:alert_id>/<str:kind>.media", views.alert_media, name="alert-media"),
    path("alerts/<int:alert_id>/<str:action>/", views.alert_action, name="alert-action"),
    path("bolos/", views.bolo_notices, name="bolo-notices"),
    path("cameras/", views.camera_list, name="camera-list"),
    path("cameras/health/", views.health, name="health"),
    path("cameras/<int:camera_id>/", views.camera_detail, name="camera-detail"),
    path("cameras/<int:camera_id>/snapshot.jpg", views.camera_snapshot, name="camera-snapshot"),
    path("cameras/<int:camera_id>/zones/", views.camera_zones, name="camera-zones"),
    path("cameras/<int:camera_id>/settings/", views.camera_settings, name="camera-settings"),
]
