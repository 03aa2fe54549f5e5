"""Pages of the shrink app."""

from django.urls import path

from vigil.shrink import views

app_name = "shrink"

urlpatterns = [
    path("shrink/", views.overview, name="overview"),
    path("shrink/hotspots/<int:hotspot_id>/", views.hotspot_detail, name="hotspot-detail"),
    path("shrink/stores/<str:store_code>/items/<str:sku>/", views.item_detail, name="item-detail"),
    path("shrink/programme/", views.item_programme, name="programme"),
    path("shrink/recommendations/", views.recommendation_list, name="recommendations"),
    path(
        "shrink/recommendations/<str:recommendation_number>/decide/",
        views.recommendation_decide,
        name="recommendation-decide",
    ),
]
