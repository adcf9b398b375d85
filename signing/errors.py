"""Exceptions of the signing capability; every message is user-facing and translated."""

from __future__ import annotations


class SigningCapabilityError(Exception):
    """Base class of every error the signing capability raises on purpose."""


class PkiError(SigningCapabilityError):
    """The local PKI is missing, incomplete or cannot do what was asked."""


class PkiAlreadyInitialised(PkiError):
    """``init_pki`` found an existing PKI and refused to overwrite it."""


class CredentialError(SigningCapabilityError):
    """A signer credential cannot be loaded or used."""


class WrongPassphrase(CredentialError):
    """The passphrase does not open the PKCS#12 file."""


class CredentialRefused(CredentialError):
    """The credential loaded but must not sign (revoked, expired, wrong key usage, untrusted)."""


class SigningFailed(SigningCapabilityError):
    """pyHanko could not produce the signature (the input PDF is left untouched)."""


class UnreadablePdf(SigningCapabilityError):
    """The input is not a readable PDF (not a PDF, truncated, malformed or encrypted)."""


class VerificationCut(SigningCapabilityError):
    """Checking the signatures of an untrusted PDF reached a limit ("cpu", "memory", "time") and was stopped."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit
