"""Back office: history (thin views; the work is in the domain apps' services and selectors)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
