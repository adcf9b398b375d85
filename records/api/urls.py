"""URLs of the JSON API (/api/v1/)."""

urlpatterns: list = []  # filled by records.api
