"""URLs of the JSON API (/api/v1/)."""

from django.urls import path

urlpatterns: list = []  # filled by records.api
