from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from pertutti.api.api import api
from pertutti.public import views
from pertutti.search.views import unmet_needs_page

# Every public page carries its language in the URL (/it/…, /en/…): shareable links
# keep the language, and "/" picks one from the browser's Accept-Language.
urlpatterns = [path("api/v1/", api.urls)]
urlpatterns += i18n_patterns(
    path("", include("pertutti.public.urls")),
    path("translate/", include("pertutti.translations.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/unmet-needs/", unmet_needs_page, name="unmet_needs"),
    prefix_default_language=True,
)

handler404 = views.not_found
