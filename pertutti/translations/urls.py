from django.urls import path

from pertutti.translations import views

app_name = "translations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("glossary/", views.glossary, name="glossary"),
    path("<str:language>/", views.queue, name="queue"),
    path("<str:language>/<int:source_id>/", views.editor, name="editor"),
    path("<str:language>/xliff/export/", views.xliff_export, name="xliff_export"),
    path("<str:language>/xliff/import/", views.xliff_import, name="xliff_import"),
]
