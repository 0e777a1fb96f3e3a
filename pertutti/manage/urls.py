"""The back office at /<lang>/manage/: each page module lists its own URLs."""

from pertutti.manage.views import activity, dashboard, imports, organizations, people, settings

app_name = "manage"
urlpatterns = [
    *dashboard.urlpatterns,
    *people.urlpatterns,
    *organizations.urlpatterns,
    *settings.urlpatterns,
    *activity.urlpatterns,
    *imports.urlpatterns,
]
