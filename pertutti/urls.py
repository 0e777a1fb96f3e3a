from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from pertutti import health
from pertutti.api.api import api
from pertutti.public import views

# Every public page carries its language in the URL (/it/…, /en/…): shareable links
# keep the language, and "/" picks one from the browser's Accept-Language.
urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path("", include("pertutti.public.urls")),
    path("translate/", include("pertutti.translations.urls")),
    path("accounts/", include("pertutti.accounts.urls")),
    path("manage/", include("pertutti.manage.urls")),
    prefix_default_language=True,
)

handler404 = views.not_found
