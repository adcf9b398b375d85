from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Modules that register background job handlers (records.services.jobs.register_job_handler).
JOB_HANDLER_MODULES = [
    "records.services.batch_signing",
    "records.services.batch_rendering",
    "records.services.diplomas",
    "records.demo.history",
    "records.services.transfer",
]


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from records.services import signin  # imports models: only once the app registry is ready

        signin.connect()
        from records.services import auth_audit  # users, groups, permissions audited; caches keyed

        auth_audit.connect()
        from records.admin import sidebar  # Wagtail's sidebar tag through the per-user cache

        sidebar.install()
        for module in JOB_HANDLER_MODULES:
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
