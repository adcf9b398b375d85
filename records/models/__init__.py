from records.models.academic import GradeLine, Student, StudentGpa, StudentStatusEvent
from records.models.archive import ArchiveTimestamp
from records.models.audit import AccessEvent, AuditEvent, AuditHead, IntegrityState
from records.models.blank import BlankPrintRun, BlankProfile, PrintedBlank, PrinterCalibration
from records.models.blob import Blob
from records.models.diploma import DiplomaBookEntry, EpvoNumber, EpvoNumberEntry
from records.models.document import Document, RegistryCounter, Version
from records.models.fileplan import FileSeries, Filing, FinalAction, Hold, HoldReason, HoldScope
from records.models.job import Job
from records.models.journal import Attendance, ClassKind, Journal, JournalClass, JournalMark
from records.models.monitoring import StudentSpell, TermResultCell, TermStudentResult
from records.models.org import OrgUnit, Person, Programme, Role, RoleAssignment, StudyGroup
from records.models.signature import Signature
from records.models.teaching import LoadLineRow, StaffPosition, TeachingAssignment, TeachingEvidence
from records.models.token import ApiToken
from records.models.transfer import ArchiveTransfer, TransferredRecord

__all__ = [
    "AccessEvent",
    "ApiToken",
    "ArchiveTimestamp",
    "ArchiveTransfer",
    "Attendance",
    "AuditEvent",
    "AuditHead",
    "BlankPrintRun",
    "BlankProfile",
    "Blob",
    "ClassKind",
    "DiplomaBookEntry",
    "Document",
    "EpvoNumber",
    "EpvoNumberEntry",
    "FileSeries",
    "Filing",
    "FinalAction",
    "GradeLine",
    "Hold",
    "HoldReason",
    "HoldScope",
    "IntegrityState",
    "Job",
    "Journal",
    "JournalClass",
    "JournalMark",
    "LoadLineRow",
    "OrgUnit",
    "Person",
    "PrintedBlank",
    "PrinterCalibration",
    "Programme",
    "RegistryCounter",
    "Role",
    "RoleAssignment",
    "Signature",
    "StaffPosition",
    "Student",
    "StudentGpa",
    "StudentSpell",
    "StudentStatusEvent",
    "StudyGroup",
    "TeachingAssignment",
    "TeachingEvidence",
    "TermResultCell",
    "TermStudentResult",
    "TransferredRecord",
    "Version",
]
