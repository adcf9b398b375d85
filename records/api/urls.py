"""URLs of the JSON API (/api/v1/): the NinjaAPI's views, its OpenAPI schema and docs."""

from records.api.main import api

# include("records.api.urls") takes the namespace from `app_name`: views reverse as "api-v1:<name>".
urlpatterns, _app, app_name = api.urls
