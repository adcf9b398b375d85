"""``manage.py pki init | issue | roots | revoke | trust | import`` over settings.RECTORATE_PKI_DIR."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from signing import credentials, pki
from signing.errors import SigningCapabilityError


class Command(BaseCommand):
    """Create and operate the embedded local PKI."""

    help = (
        "Local PKI: init (once), issue <username>, roots (PEM), revoke <username>, "
        "trust <pem> (import roots), import <username> <p12>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the sub-commands."""
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="Create the root CA, issuing CA, TSA, seal and CRLs once.")
        init.add_argument("--organisation", default="University")
        init.add_argument("--crl-base-url", default="http://127.0.0.1:8000/pki/")
        issue = sub.add_parser("issue", help="Issue a signing certificate into a PKCS#12.")
        issue.add_argument("username")
        issue.add_argument(
            "--name", dest="full_name", default=None, help="Full name (default: the username)."
        )
        issue.add_argument("--role", default="official")
        issue.add_argument("--passphrase", default=None, help="Passphrase; prompted for when omitted.")
        issue.add_argument(
            "--replace", action="store_true", help="Revoke (superseded) and replace a valid one."
        )
        sub.add_parser("roots", help="Print the trust anchors as PEM.")
        trust = sub.add_parser(
            "trust", help="Import production trust roots (or intermediates) from a PEM file."
        )
        trust.add_argument("pem_file")
        trust.add_argument("--intermediate", action="store_true")
        imp = sub.add_parser("import", help="Import an official's external PKCS#12 (e.g. an NCA RSA key).")
        imp.add_argument("username")
        imp.add_argument("p12_file")
        imp.add_argument("--passphrase", default=None, help="Passphrase; prompted for when omitted.")
        imp.add_argument("--replace", action="store_true")
        revoke = sub.add_parser("revoke", help="Revoke a user's certificate and republish the CRLs.")
        revoke.add_argument("username")
        revoke.add_argument("--reason", default="key_compromise", choices=sorted(pki.REVOCATION_REASONS))

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the chosen sub-command; PKI errors become a CommandError with their message."""
        directory = Path(settings.RECTORATE_PKI_DIR)
        try:
            getattr(self, "_" + options["action"])(directory, options)
        except SigningCapabilityError as exc:
            raise CommandError(str(exc)) from exc

    def _init(self, directory: Path, options: dict[str, Any]) -> None:
        created = pki.init_pki(
            directory, organisation=options["organisation"], crl_base_url=options["crl_base_url"]
        )
        if created:
            self.stdout.write(self.style.SUCCESS(_("Local PKI created in %(dir)s.") % {"dir": directory}))
        else:
            self.stdout.write(
                _("A local PKI already exists in %(dir)s; nothing changed.") % {"dir": directory}
            )

    def _issue(self, directory: Path, options: dict[str, Any]) -> None:
        passphrase = options["passphrase"]
        if passphrase is None:
            passphrase = getpass.getpass(_("Passphrase for %(user)s: ") % {"user": options["username"]})
            if passphrase != getpass.getpass(_("Repeat the passphrase: ")):
                raise CommandError(_("The passphrases do not match."))
        path = pki.issue_certificate(
            directory,
            options["username"],
            options["full_name"] or options["username"],
            passphrase,
            role=options["role"],
            replace=options["replace"],
        )
        self.stdout.write(self.style.SUCCESS(_("Certificate issued: %(path)s") % {"path": path}))

    def _roots(self, directory: Path, options: dict[str, Any]) -> None:
        self.stdout.write(pki.trust_roots_pem(directory), ending="")

    def _trust(self, directory: Path, options: dict[str, Any]) -> None:
        added = pki.add_trust(
            directory, self._read(options["pem_file"]), intermediate=options["intermediate"]
        )
        self.stdout.write(
            self.style.SUCCESS(_("%(count)s certificate(s) added to the trust store.") % {"count": added})
        )

    def _import(self, directory: Path, options: dict[str, Any]) -> None:
        passphrase = options["passphrase"]
        if passphrase is None:
            passphrase = getpass.getpass(_("Passphrase of the PKCS#12 file: "))
        path = credentials.import_pkcs12(
            directory,
            options["username"],
            self._read(options["p12_file"]),
            passphrase,
            replace=options["replace"],
        )
        self.stdout.write(self.style.SUCCESS(_("Key file imported: %(path)s") % {"path": path}))

    @staticmethod
    def _read(name: str) -> bytes:
        try:
            return Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": name, "error": exc.strerror}
            ) from exc

    def _revoke(self, directory: Path, options: dict[str, Any]) -> None:
        serial = pki.revoke_certificate(directory, options["username"], reason=options["reason"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Certificate %(serial)s of %(user)s revoked; CRLs republished.")
                % {"serial": format(serial, "x"), "user": options["username"]}
            )
        )
