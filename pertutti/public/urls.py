from django.urls import path

from pertutti.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_list, name="services"),
    path("services/map/", views.service_map, name="map"),
    path("services/map/markers.json", views.service_map_markers, name="map_markers"),
    path("services/<str:code>/", views.service_page, name="service"),
    path("services/<str:code>/qr.svg", views.service_qr, name="service_qr"),
    path("services/<str:code>/report/", views.report, name="report"),
    path("categories/<slug:code>/", views.category_page, name="category"),
    path("municipalities/<str:istat_code>/", views.municipality_page, name="municipality"),
    path("organizations/<int:pk>/", views.organization_page, name="organization"),
    path("privacy/", views.info_page, {"page": "privacy"}, name="privacy"),
    path("accessibility/", views.info_page, {"page": "accessibility"}, name="accessibility"),
    path("legal/", views.info_page, {"page": "legal"}, name="legal"),
    path("about/", views.info_page, {"page": "about"}, name="about"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
