from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pertutti.public.selectors import request_territory_or_404
from pertutti.search.selectors import unmet_needs


@staff_member_required(login_url="login")
def unmet_needs_page(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    return render(request, "search/unmet_needs.html", {"rows": unmet_needs(territory)})
