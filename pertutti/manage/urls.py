"""The back office at /<lang>/manage/: each page module lists its own URLs."""

from pertutti.manage.views import (
    activity,
    dashboard,
    error_reports,
    history,
    imports,
    needs,
    organizations,
    people,
    printed,
    reviews,
    services,
    settings,
)

app_name = "manage"
urlpatterns = [
    *dashboard.urlpatterns,
    *people.urlpatterns,
    *organizations.urlpatterns,
    *services.urlpatterns,
    *reviews.urlpatterns,
    *history.urlpatterns,
    *error_reports.urlpatterns,
    *needs.urlpatterns,
    *settings.urlpatterns,
    *activity.urlpatterns,
    *imports.urlpatterns,
    *printed.urlpatterns,
]
