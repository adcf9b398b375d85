from django.apps import AppConfig


class DoctemplatesConfig(AppConfig):
    name = "doctemplates"
    default_auto_field = "django.db.models.BigAutoField"
