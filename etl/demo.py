"""`stuurhut demo`: rebuild the demo database from data/demo by loading the manifest's batches through the loader."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from etl.load import LoadResult, UsageError, load_files
from etl.problems import Problem

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


@dataclass
class DemoResult:
    ok: bool
    results: list[LoadResult] = field(default_factory=list)
    failed_batch: int | None = None  # index in the manifest of the first rejected batch

    @property
    def warnings(self) -> list[Problem]:
        return [w for r in self.results for w in r.warnings]


def read_manifest(demo_dir: Path = DEMO_DIR) -> list[dict]:
    """The batches in load order: [{"files": [...], "deal": "CDOR" or None}, ...]."""
    return json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def build_demo_db(db: Path | str, demo_dir: Path = DEMO_DIR) -> DemoResult:
    """Load every batch into a fresh database next to `db`, then swap it in; on a rejected batch `db` is untouched."""
    db = Path(db).absolute()
    db.parent.mkdir(parents=True, exist_ok=True)
    # Built under a temporary name so a running dashboard keeps the old demo until the new one is complete.
    tmp = db.with_name(f".{db.name}.demo-{os.getpid()}.tmp")
    _remove(tmp)
    out = DemoResult(ok=True)
    try:
        for i, batch in enumerate(read_manifest(demo_dir)):
            paths = [demo_dir / f for f in batch["files"]]
            res = load_files(paths, tmp, deal=batch.get("deal"))
            out.results.append(res)
            if res.status != "loaded":
                out.ok, out.failed_batch = False, i
                return out
        os.replace(tmp, db)
        _remove(db.with_name(db.name + ".wal"))
        return out
    finally:
        _remove(tmp)
        tmp.with_name(tmp.name + ".lock").unlink(missing_ok=True)


def _where(p: Problem) -> str:
    parts = [p.file]
    if p.sheet:
        parts.append(f"tabblad {p.sheet}")
    if p.row is not None:
        parts.append(f"rij {p.row}")
    if p.column:
        parts.append(f"kolom {p.column}")
    return ", ".join(parts)


def summary_lines(res: DemoResult, manifest: list[dict]) -> list[str]:
    lines = []
    for batch, r in zip(manifest, res.results, strict=False):
        rows = sum(r.rows.values())
        files = ", ".join(batch["files"])
        status = "geladen" if r.status == "loaded" else "GEWEIGERD"
        lines.append(f"- {r.deal or batch.get('deal') or '?'}: {status}, {len(r.rows)} tabbladen, {rows} rijen ({files})")
    return lines


def cli_demo(args: argparse.Namespace) -> int:
    from etl.cli import default_db

    db = Path(args.db) if getattr(args, "db", None) else default_db()
    demo_dir = Path(getattr(args, "demo_dir", None) or DEMO_DIR)
    try:
        manifest = read_manifest(demo_dir)
    except (OSError, ValueError) as e:
        print(f"stuurhut: kan {demo_dir / 'manifest.json'} niet lezen: {e}", file=sys.stderr)
        return 2
    try:
        res = build_demo_db(db, demo_dir)
    except UsageError as e:  # a demo file named in the manifest is missing
        print(f"stuurhut: demobestanden onvolledig: {e}", file=sys.stderr)
        return 2
    lines = summary_lines(res, manifest)
    if not res.ok:
        bad = res.results[-1]
        print("Demodatabase NIET opgebouwd: een levering werd geweigerd.", file=sys.stderr)
        print("\n".join(lines), file=sys.stderr)
        for p in bad.problems:
            print(f"  {_where(p)}: {p.message}", file=sys.stderr)
        return 1
    deals = sorted({r.deal for r in res.results if r.deal})
    print(f"Demodatabase opgebouwd in {db}: {len(res.results)} leveringen, {len(deals)} deals ({', '.join(deals)}).")
    print("\n".join(lines))
    if res.warnings:
        print(f"{len(res.warnings)} waarschuwing(en):")
        for w in res.warnings:
            print(f"  {_where(w)}: {w.message}")
    return 0
