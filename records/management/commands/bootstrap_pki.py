"""Create the local PKI when missing and issue the demo officials' signing certificates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from records.demo.pki import bootstrap_pki


class Command(BaseCommand):
    help = "Create the local PKI (once) and issue a signing certificate to every official who has none."

    def handle(self, *args: Any, **options: Any) -> None:
        issued = bootstrap_pki()
        if issued:
            self.stdout.write(f"Issued signing certificates to {len(issued)} officials.")
