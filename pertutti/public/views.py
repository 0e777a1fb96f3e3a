from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pertutti.public.selectors import active_services, current_territory, shows_sample_data


def home(request: HttpRequest) -> HttpResponse:
    territory = current_territory()
    if territory is None:
        return render(request, "public/not_set_up.html", status=503)
    services = list(active_services(territory))
    context = {
        "territory": territory,
        "services": services,
        "sample_data": shows_sample_data(territory),
    }
    return render(request, "public/home.html", context)
