"""The audit checkpoints as stored (records/services/checkpoints.py takes and verifies them): read,
parsed, the newest one for pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime

from records.models.blob import blob_storage

FORMAT = "rectorate-audit-checkpoint/1"


DIRECTORY = "audit-checkpoints"


@dataclass(frozen=True)
class Checkpoint:
    """One sealed checkpoint: what it says, and the exact bytes and signature it was read from."""

    seq: int
    taken_at: dt.datetime
    event_id: int
    event_hash: str
    event_count: int
    reads_last_id: int
    reads_count: int
    reads_digest: str
    previous: str
    body: bytes
    signature: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def name(self) -> str:
        return f"{self.seq:08d}"

    def anchor(self) -> Anchor:
        return Anchor(self.seq, self.taken_at, self.event_id, self.event_hash, self.event_count)

    def summary(self) -> dict[str, Any]:
        """What an index or a page shows of it."""
        return {
            "seq": self.seq,
            "taken_at": self.taken_at.isoformat(),
            "event_id": self.event_id,
            "event_hash": self.event_hash,
            "event_count": self.event_count,
            "reads_last_id": self.reads_last_id,
            "reads_count": self.reads_count,
            "reads_digest": self.reads_digest,
            "previous": self.previous,
            "sha256": self.sha256,
            "files": [f"{self.name}.json", f"{self.name}.p7s"],
        }


def checkpoint_parse(body: bytes, signature: bytes) -> Checkpoint:
    """A checkpoint from its stored bytes; ValueError when they are not one."""
    data = json.loads(body)
    if data.get("format") != FORMAT:
        raise ValueError("unknown format")
    taken_at = parse_datetime(str(data["taken_at"]))
    if taken_at is None:
        raise ValueError("no time")
    chain, reads = data["chain"], data["reads"]
    return Checkpoint(
        seq=int(data["seq"]),
        taken_at=taken_at,
        event_id=int(chain["event_id"]),
        event_hash=str(chain["hash"]),
        event_count=int(chain["count"]),
        reads_last_id=int(reads["last_id"]),
        reads_count=int(reads["count"]),
        reads_digest=str(reads["digest"]),
        previous=str(data.get("previous") or ""),
        body=body,
        signature=signature,
    )


def _stored_files(directory: Path | None) -> dict[str, bytes]:
    """Every file of the checkpoint store (or of an exported copy), by name."""
    if directory is not None:
        return {
            p.name: p.read_bytes() for p in sorted(Path(directory).iterdir()) if p.suffix in (".json", ".p7s")
        }
    storage = blob_storage()
    try:
        _dirs, names = storage.listdir(DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    files = {}
    for name in names:
        with storage.open(f"{DIRECTORY}/{name}", "rb") as fh:
            files[name] = fh.read()
    return files


def checkpoints_read(directory: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in sequence order, and a problem for each file pair that is not a checkpoint."""
    files = _stored_files(directory)
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    for name in sorted(n for n in files if n.endswith(".json") and n != "index.json"):
        stem = name.removesuffix(".json")
        signature = files.get(f"{stem}.p7s")
        if signature is None:
            problems.append(f"checkpoint file {name} has no signature ({stem}.p7s)")
            continue
        try:
            checkpoints.append(checkpoint_parse(files[name], signature))
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"checkpoint file {name} cannot be read ({exc})")
    checkpoints.sort(key=lambda c: c.seq)
    return checkpoints, problems


def checkpoint_newest() -> Checkpoint | None:
    """The newest checkpoint in the store, reading only its two files (for pages; not verified here)."""
    storage = blob_storage()
    try:
        _dirs, names = storage.listdir(DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    for name in sorted((n for n in names if n.endswith(".json")), reverse=True):
        stem = name.removesuffix(".json")
        try:
            with (
                storage.open(f"{DIRECTORY}/{name}", "rb") as body,
                storage.open(f"{DIRECTORY}/{stem}.p7s", "rb") as sig,
            ):
                return checkpoint_parse(body.read(), sig.read())
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


@dataclass(frozen=True)
class Anchor:
    """What one genuine checkpoint sealed of the chain: the event id, its hash, the count up to it."""

    seq: int
    taken_at: dt.datetime
    event_id: int
    event_hash: str
    event_count: int
