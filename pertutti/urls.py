from django.urls import include, path

urlpatterns = [
    path("", include("pertutti.public.urls")),
]
