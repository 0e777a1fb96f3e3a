from django.urls import path

from pertutti.public import views, views_print

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_list, name="services"),
    path("services/map/", views.service_map, name="map"),
    path("services/map/markers.json", views.service_map_markers, name="map_markers"),
    path("services/<str:code>/", views.service_page, name="service"),
    path("services/<str:code>/sheet.pdf", views_print.service_sheet_pdf, name="service_sheet"),
    path("services/<str:code>/qr.svg", views.service_qr, name="service_qr"),
    path("services/<str:code>/report/", views.report, name="report"),
    path("sheet/", views_print.sheet, name="sheet"),
    path("sheet/sheet.pdf", views_print.sheet_pdf, name="sheet_pdf"),
    path("s/<str:key>/", views_print.sheet_short, name="sheet_short"),
    path("print/", views_print.printed, name="printed"),
    path("print/booklet.pdf", views_print.booklet, name="booklet"),
    path("print/poster.pdf", views_print.poster, name="poster"),
    path("print/card.pdf", views_print.card, name="card"),
    path("categories/<slug:code>/", views.category_page, name="category"),
    path("municipalities/<str:istat_code>/", views.municipality_page, name="municipality"),
    path("organizations/<int:pk>/", views.organization_page, name="organization"),
    path("privacy/", views.info_page, {"page": "privacy"}, name="privacy"),
    path("accessibility/", views.info_page, {"page": "accessibility"}, name="accessibility"),
    path("legal/", views.info_page, {"page": "legal"}, name="legal"),
    path("about/", views.info_page, {"page": "about"}, name="about"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
