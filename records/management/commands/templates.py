"""`manage.py templates upload KIND LANG FILE.docx --user U [--activate]`, `templates list`,
`templates render-batch --kind K [--mode pdf|preview] [--ids 1 2 …]` (with a progress bar)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from records.errors import RecordsError
from records.kinds.templates import export_default_templates
from records.models import Job
from records.selectors.org import user_find
from records.selectors.templates import template_versions_all
from records.services.batch_rendering import MODES, batch_render_start
from records.services.jobs import job_run
from records.services.templates import TemplateRejected, template_activate, template_upload


class Command(BaseCommand):
    help = "Document templates: upload and check, list versions, batch rendering with progress."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        upload = sub.add_parser("upload", help="Check and store a .docx as the next version of a template.")
        upload.add_argument("kind")
        upload.add_argument("language")
        upload.add_argument("file")
        upload.add_argument("--user", required=True, help="the administrator or registrar uploading it")
        upload.add_argument("--comment", default="")
        upload.add_argument("--activate", action="store_true")
        sub.add_parser("list", help="Every stored template version.")
        sub.add_parser(
            "export-defaults", help="Write the kinds' default templates to records/kinds/default_templates/."
        )
        batch = sub.add_parser(
            "render-batch", help="Render documents as a background job, here, with progress."
        )
        batch.add_argument("--kind", default="")
        batch.add_argument("--mode", choices=MODES, default="pdf")
        batch.add_argument(
            "--ids", nargs="*", type=int, help="document ids (default: every document the mode covers)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "upload":
                self.upload(options)
            elif action == "list":
                self.list_versions()
            elif action == "export-defaults":
                for path in export_default_templates():
                    self.stdout.write(str(path))
            else:
                self.render_batch(options)
        except TemplateRejected as exc:
            for problem in exc.problems:
                self.stderr.write(
                    f"{problem.code}: {problem.message}"
                    + (f" ({problem.location})" if problem.location else "")
                )
            raise CommandError(exc.message) from exc
        except RecordsError as exc:
            raise CommandError(exc.message) from exc

    def upload(self, options: dict[str, Any]) -> None:
        user = user_find(options["user"])
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        version = template_upload(
            by=user,
            kind=options["kind"],
            language=options["language"],
            docx_bytes=path.read_bytes(),
            comment=options["comment"],
        )
        for warning in version.warnings:
            self.stdout.write(f"warning: {warning['message']}")
        self.stdout.write(f"Stored {version.identifier} as version {version.number}.")
        if options["activate"]:
            template_activate(by=user, template_version=version)
            self.stdout.write(f"Activated version {version.number}.")

    def list_versions(self) -> None:
        for version in template_versions_all():
            self.stdout.write(
                f"{version.template.kind}\t{version.template.language}\tv{version.number}\t"
                f"{'active' if version.active else '-'}\t{version.sha256[:16]}\t"
                f"{version.author.get_username()}\t{version.created_at:%Y-%m-%d %H:%M}"
            )

    def render_batch(self, options: dict[str, Any]) -> None:
        if not options["ids"] and not options["kind"]:
            raise CommandError("Give --kind or --ids.")
        job = batch_render_start(
            by=None, mode=options["mode"], kind=options["kind"], document_ids=options["ids"], start=False
        )
        bar = tqdm(total=len(job.params["document_ids"]), unit="doc", file=self.stderr._out)

        def progress(current: Job) -> None:
            bar.n = current.done + current.failed
            bar.set_postfix(failed=current.failed)
            bar.refresh()

        job = job_run(job.pk, progress=progress)
        bar.close()
        self.stdout.write(f"Job #{job.pk}: {job.state}, {job.done} done, {job.failed} failed.")
        for item, reason in job.results.items():
            if reason != "ok":
                self.stdout.write(f"  {item}: {reason}")
