"""Permission-aware reads of printing onto blanks: profiles, printers, print runs, printable cohorts.

Everything here is the registrar's office's (records.selectors.diplomas.may_issue_diplomas); others
see nothing, and one object they may not see looks the same as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from records.errors import NotFoundOrForbidden
from records.models import (
    BlankPrintRun,
    BlankProfile,
    DiplomaBookEntry,
    Job,
    PrintedBlank,
    PrinterCalibration,
)
from records.permissions import may_issue_diplomas
from records.selectors.diplomas import DIPLOMA_BATCH_JOB as JOB_KIND
from records.selectors.diplomas import batch_entries, graduation_cohorts


def _pk(value: Any) -> int:
    return int(value) if str(value).isdigit() else -1


def blank_profiles(*, user: Any) -> QuerySet[BlankProfile]:
    """Every blank profile, for the registrar's office; none for others."""
    if not may_issue_diplomas(user):
        return BlankProfile.objects.none()
    return BlankProfile.objects.select_related("scan", "updated_by")


def blank_profile_get(*, user: Any, pk: Any) -> BlankProfile:
    profile = blank_profiles(user=user).filter(pk=_pk(pk)).first()
    if profile is None:
        raise NotFoundOrForbidden("not_found", _("No such blank profile."))
    return profile


def printers(*, user: Any) -> QuerySet[PrinterCalibration]:
    if not may_issue_diplomas(user):
        return PrinterCalibration.objects.none()
    return PrinterCalibration.objects.select_related("updated_by")


def printer_get(*, user: Any, pk: Any) -> PrinterCalibration:
    printer = printers(user=user).filter(pk=_pk(pk)).first()
    if printer is None:
        raise NotFoundOrForbidden("not_found", _("No such printer."))
    return printer


def print_runs(*, user: Any) -> QuerySet[BlankPrintRun]:
    if not may_issue_diplomas(user):
        return BlankPrintRun.objects.none()
    return BlankPrintRun.objects.select_related("profile", "printer", "created_by", "pdf").order_by("-pk")


def print_run_get(*, user: Any, pk: Any) -> BlankPrintRun:
    run = print_runs(user=user).filter(pk=_pk(pk)).first()
    if run is None:
        raise NotFoundOrForbidden("not_found", _("No such print run."))
    return run


def run_blanks(run: BlankPrintRun) -> QuerySet[PrintedBlank]:
    """The blanks of a run in page order, with what went onto each."""
    return run.blanks.select_related("entry__graduate", "document", "replaced_by").order_by("page")


def printed_blank_get(*, user: Any, pk: Any) -> PrintedBlank:
    if not may_issue_diplomas(user):
        raise NotFoundOrForbidden("not_found", _("No such blank."))
    blank = (
        PrintedBlank.objects.select_related("run__profile", "run__printer", "entry", "document")
        .filter(pk=_pk(pk))
        .first()
    )
    if blank is None:
        raise NotFoundOrForbidden("not_found", _("No such blank."))
    return blank


def printable_batches(*, user: Any) -> list[Job]:
    """The diploma batches of cohorts the user sees (newest first): what can be printed as a cohort."""
    if not may_issue_diplomas(user):
        return []
    groups = {cohort.group_code for cohort in graduation_cohorts(user=user)}
    return [
        job
        for job in Job.objects.filter(kind=JOB_KIND).order_by("-pk")[:50]
        if job.params.get("group_code") in groups
    ]


def cohort_entries(*, user: Any, batch_id: Any) -> list[DiplomaBookEntry]:
    """The book entries of one diploma batch the user may print, in book order."""
    if not any(job.pk == _pk(batch_id) for job in printable_batches(user=user)):
        raise NotFoundOrForbidden("not_found", _("No such diploma batch."))
    return list(batch_entries(_pk(batch_id)).order_by("series", "number"))
