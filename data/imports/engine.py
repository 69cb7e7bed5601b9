"""Uploads: read a file, check every row, show what would change, and write it all in one transaction.

The same functions serve the upload page and the command line: `preview_upload` reads and checks without writing,
`stage_upload` keeps a previewed file in the database until its uploader confirms it, `confirm_upload` checks it
again against the database as it is then and writes it, and `import_file` does both in one go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from data.audit import audit_on_commit
from data.db import insert_rows
from data.history import as_utc, serialise_writes, snapshot, utcnow
from data.imports.kinds import KINDS, Context, KindInfo, Refusal, Sheet, party_kind
from data.imports.reading import FORMULA_WITHOUT_VALUE, FileProblem, find_table, read_sheets
from data.imports.values import ValueProblem, fold
from data.models import Base, ChangeRecord, ImportBatch, Meeting, Party, PendingUpload, Project, Task

EDIT_ROLES = ("redigerare", "admin")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
PENDING_TTL = dt.timedelta(hours=24)
SOURCE = "uppladdning"


class ImportRefused(ValueError):
    """An upload or undo that cannot go ahead; the message is Swedish and meant for the person."""


@dataclass(frozen=True)
class Actor:
    """Who is uploading: the server's idea of the logged-in user (never what the page claims)."""

    username: str
    role: str
    municipality: str | None = None

    @property
    def can_upload(self) -> bool:
        return self.role in EDIT_ROLES

    @property
    def limited_to(self) -> str | None:
        """The one municipality a redigerare may change, or None for all."""
        return self.municipality if self.role != "admin" else None


@dataclass
class Problem:
    """Something wrong in the file: where (sheet, row and column as the file shows them), what, and why."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Rad {self.row}")
        if self.column:
            where.append(f"kolumn {self.column}")
        head = ", ".join(where)
        if self.value not in (None, ""):
            head += f": ”{self.value}”"
        return f"{head} – {self.message}" if head else self.message


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


@dataclass
class RowPlan:
    """What will happen to one row: new, update, unchanged or delete."""

    sheet: str
    row: int | None
    action: str
    key: str
    entity: str
    entity_id: int | None
    changes: list[FieldChange] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    obj: Any = field(default=None, repr=False)
    spec: Sheet | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "action": self.action,
            "key": self.key,
            "entity": self.entity,
            "id": self.entity_id,
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass
class Preview:
    kind: str
    kind_label: str
    filename: str
    sha256: str
    size: int
    remove_missing: bool = False
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ctx: Context | None = field(default=None, repr=False, compare=False)

    def _of(self, action: str) -> list[RowPlan]:
        return [r for r in self.rows if r.action == action]

    @property
    def new(self) -> list[RowPlan]:
        return self._of("new")

    @property
    def changed(self) -> list[RowPlan]:
        return self._of("update")

    @property
    def unchanged(self) -> list[RowPlan]:
        return self._of("unchanged")

    @property
    def removed(self) -> list[RowPlan]:
        return self._of("delete")

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "removed": len(self.removed),
        }

    @property
    def can_confirm(self) -> bool:
        c = self.counts
        return not self.problems and not self.refused and (c["new"] + c["changed"] + c["removed"]) > 0

    @property
    def fingerprint(self) -> str:
        """A digest of exactly what would be written, to notice if the database changed before confirming."""
        plan = [
            [r.sheet, r.action, r.entity_id, r.key, [[c.field, c.old, c.new] for c in r.changes]]
            for r in self.rows
            if r.action != "unchanged"
        ]
        return hashlib.sha256(json.dumps(plan, default=str, ensure_ascii=False).encode()).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "filename": self.filename,
            "sha256": self.sha256,
            "remove_missing": self.remove_missing,
            "counts": self.counts,
            "can_confirm": self.can_confirm,
            "new": [r.to_dict() for r in self.new],
            "changed": [r.to_dict() for r in self.changed],
            "unchanged": [r.to_dict() for r in self.unchanged],
            "removed": [r.to_dict() for r in self.removed],
            "errors": [p.to_dict() for p in self.problems],
            "refused": [p.to_dict() for p in self.refused],
            "notes": self.notes,
        }


@dataclass
class ImportResult:
    batch_id: int
    kind: str
    filename: str
    counts: dict[str, int]
    message: str
    touched: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "kind": self.kind,
            "filename": self.filename,
            "counts": self.counts,
            "message": self.message,
        }


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def counts_text(counts: dict[str, int], *, unchanged: bool = False) -> str:
    """'1 ny, 2 ändrade och 0 borttagna' in Swedish agreement."""
    parts = [
        _plural(counts.get("new", 0), "ny", "nya"),
        _plural(counts.get("changed", 0), "ändrad", "ändrade"),
    ]
    if unchanged:
        parts.append(_plural(counts.get("unchanged", 0), "oförändrad", "oförändrade"))
    parts.append(_plural(counts.get("removed", 0), "borttagen", "borttagna"))
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def require_upload_rights(actor: Actor | None) -> Actor:
    if actor is None or not actor.can_upload:
        raise ImportRefused("Du har inte behörighet att ladda upp data. Det kan bara redigerare och administratörer.")
    return actor


def kind_info(kind: str) -> KindInfo:
    info = KINDS.get(kind)
    if info is None:
        raise ImportRefused(f"Okänd typ av uppgifter: ”{kind}”. Välj {', '.join(KINDS)}.")
    return info


# --- reading and checking ---------------------------------------------------------------------------------------


def _raw_text(raw: Any) -> str | None:
    if raw is None or raw is FORMULA_WITHOUT_VALUE:
        return None if raw is None else "(formel)"
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    text_ = str(raw)
    return text_ if len(text_) <= 200 else text_[:197] + "…"


def _same(old: Any, new: Any) -> bool:
    if old in (None, "", []) and new in (None, "", []):
        return True
    if isinstance(old, str) and isinstance(new, str):
        return old == new  # both already cleaned: the cell by its parser, the stored value by Sheet.get
    if isinstance(old, Base) or isinstance(new, Base):
        return old is new
    if isinstance(old, list) and isinstance(new, list):
        return [getattr(o, "name", o) for o in old] == [getattr(n, "name", n) for n in new]
    return old == new


class _SheetReader:
    """Checks the rows of one table and plans what each does."""

    def __init__(self, ctx: Context, spec: Sheet, preview: Preview, actor: Actor):
        self.ctx, self.spec, self.preview, self.actor = ctx, spec, preview, actor
        self.fields = {f.name: f for f in spec.fields}

    def label(self, table, name: str) -> str:
        return table.column_labels.get(name) or self.fields[name].label

    def read(self, table) -> list[RowPlan]:
        spec, preview = self.spec, self.preview
        for col in table.unknown_columns:
            preview.notes.append(f"{spec.name}: kolumnen ”{col}” känns inte igen och lästes inte in.")
        for row_no, reason in table.skipped:
            preview.notes.append(f"{spec.name}, rad {row_no}: {reason}")
        seen: dict[Any, int] = {}
        plans: list[RowPlan] = []
        for row_no, cells in table.rows:
            plan = self.row(table, row_no, cells, seen)
            if plan is not None:
                plans.append(plan)
        return plans

    def row(self, table, row_no: int, cells: dict[str, Any], seen: dict[Any, int]) -> RowPlan | None:
        spec, ctx = self.spec, self.ctx
        errors: list[Problem] = []

        def problem(name: str, message: str) -> None:
            errors.append(Problem(message, row_no, self.label(table, name), _raw_text(cells.get(name)), spec.name))

        values: dict[str, Any] = {}
        for name, raw in cells.items():
            if raw is FORMULA_WITHOUT_VALUE:
                problem(
                    name, "Cellen innehåller en formel utan sparat värde. Skriv in värdet eller spara om filen i Excel."
                )
                continue
            try:
                values[name] = self.fields[name].parse(raw)
            except ValueProblem as exc:
                problem(name, str(exc))
        bad = {e.column for e in errors}
        for f in spec.fields:
            if f.required and f.name in cells and values.get(f.name) is None and self.label(table, f.name) not in bad:
                problem(f.name, "Värde saknas.")
        if errors:
            self._check_order(values, None, {}, problem)
            self.preview.problems.extend(errors)
            return None
        spec.resolve(ctx, values, problem)
        if errors:
            self.preview.problems.extend(errors)
            return None

        obj = None
        id_ = values.get("id")
        if id_ is not None:
            obj = spec.by_id(ctx, id_)
            if obj is None:
                problem("id", f"Det finns inget {spec.noun} med id {id_}. Lämna Id tomt för nya rader.")
        key = values["_key"] = spec.key(values)
        if key is not None:
            by_key = spec.by_key(ctx, key)
            if obj is None and id_ is None:
                obj = by_key
            elif obj is not None and by_key is not None and by_key is not obj:
                problem(spec.key_fields[-1], f"Det finns redan ett annat {spec.noun} med det namnet (id {by_key.id}).")
        ident = ("obj", id(obj)) if obj is not None else ("key", key)
        if ident in seen and (obj is not None or key is not None):
            problem(
                spec.key_fields[-1] if id_ is None else "id", f"Samma {spec.noun} finns redan på rad {seen[ident]}."
            )
        elif obj is not None or key is not None:
            seen[ident] = row_no
            if obj is not None and key is not None:
                seen.setdefault(("key", key), row_no)

        if obj is not None:
            for f in spec.fields:
                if not f.nullable and f.name in cells and values.get(f.name) is None:
                    problem(f.name, f"Värde saknas. Kolumnen {f.label} kan inte tömmas på en befintlig rad.")
        names = [n for n in values if not n.startswith("_") and n != "id"]
        current = spec.current(ctx, obj, names) if obj is not None else {}
        self._check_order(values, obj, current, problem)
        if obj is None:
            for f in spec.fields:
                if f.required and f.name not in cells:
                    problem(f.name, f"Kolumnen {f.label} saknas i filen; den behövs för nya rader.")
        if errors:
            self.preview.problems.extend(errors)
            return None

        if obj is None:
            action = "new"
            changes = [
                FieldChange(n, self.label(table, n), None, spec.display(n, values[n]))
                for n in names
                if values[n] not in (None, "", [])
            ]
        else:
            changes = [
                FieldChange(n, self.label(table, n), spec.display(n, current[n]), spec.display(n, values[n]))
                for n in names
                if not _same(current[n], values[n])
            ]
            action = "update" if changes else "unchanged"
        key_text = spec.describe(values) if obj is None else spec.describe({**current, **values})
        if action != "unchanged" and self.actor.limited_to:
            try:
                spec.check_rights(ctx, obj, values, self.actor.limited_to)
            except Refusal as exc:
                self.preview.refused.append(Problem(str(exc), row_no, None, key_text, spec.name))
                return None
        return RowPlan(
            spec.name,
            row_no,
            action,
            key_text,
            spec.entity,
            obj.id if obj is not None else None,
            changes,
            values,
            obj,
            spec,
        )

    def _check_order(self, values, obj, current, problem) -> None:
        for start, end, what in (("start_date", "end_date", "Slutdatumet"), ("start_time", "end_time", "Sluttiden")):
            if start not in self.fields or end not in self.fields:
                continue
            s = values[start] if start in values else (getattr(obj, start) if obj is not None else None)
            e = values[end] if end in values else (getattr(obj, end) if obj is not None else None)
            if s is not None and e is not None and e < s:
                problem(end if end in values else start, f"{what} {e.isoformat()} är före starten {s.isoformat()}.")

    def removals(self, matched: set[int]) -> None:
        spec, ctx = self.spec, self.ctx
        for obj in spec.existing(ctx):
            if id(obj) in matched:
                continue
            if self.actor.limited_to:
                try:
                    spec.check_rights(ctx, obj, None, self.actor.limited_to)
                except Refusal:
                    continue  # outside the person's municipality: not theirs to remove
            key = spec.describe_obj(ctx, obj)
            why = spec.check_delete(ctx, obj)
            if why:
                self.preview.problems.append(Problem(f"”{key}” kan inte tas bort: {why}", None, None, None, spec.name))
                continue
            self.preview.rows.append(RowPlan(spec.name, None, "delete", key, spec.entity, obj.id, [], {}, obj, spec))


def _required_labels(spec: Sheet) -> dict[str, str]:
    return {f.name: f.label for f in spec.fields if f.required}


def preview_upload(
    session: Session,
    kind: str,
    content: bytes,
    filename: str,
    *,
    actor: Actor,
    remove_missing: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Preview:
    """What the file would change, row by row, and every problem in it; writes nothing.

    A file that cannot be read becomes a problem in the preview; a person without upload rights is refused.
    """
    require_upload_rights(actor)
    info = kind_info(kind)
    preview = Preview(
        kind=kind,
        kind_label=info.label,
        filename=_safe_filename(filename),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        remove_missing=remove_missing,
    )
    try:
        sheets = read_sheets(content, filename, max_bytes=max_bytes)
    except FileProblem as exc:
        preview.problems.append(Problem(str(exc)))
        return preview
    ctx = preview.ctx = Context.load(session)
    tables: dict[str, Any] = {}
    missing: dict[str, FileProblem] = {}
    claimed: set[int] = set()
    # The table with most required columns is found first and its sheet is then taken: a workbook holding only the
    # phases (whose header has every column Projekt requires) is read as phases, not as projects.
    for spec in sorted(info.sheets, key=lambda s: -len(_required_labels(s))):
        candidates = [s for s in sheets if id(s) not in claimed]
        if not candidates:
            continue
        try:
            table = find_table(
                candidates,
                spec.match_header(),
                required={f.name for f in spec.fields if f.required},
                prefer=spec.prefer,
                required_labels=_required_labels(spec),
            )
        except FileProblem as exc:
            missing[spec.name] = exc
            continue
        if table is None:
            continue
        claimed.update(id(s) for s in candidates if s.name == table.sheet)
        tables[spec.name] = table
    for spec in info.sheets:
        table = tables.get(spec.name)
        if table is None:
            if not spec.optional and not tables and spec.name in missing:
                preview.problems.append(Problem(str(missing[spec.name]), sheet=spec.name))
            continue
        spec.load(ctx)
        reader = _SheetReader(ctx, spec, preview, actor)
        plans = reader.read(table)
        preview.rows.extend(plans)
        if spec.entity == "project":
            ctx.state["planned_projects"] = {p.values["_key"]: p.values for p in plans if p.action == "new"}
        if remove_missing:
            reader.removals({id(p.obj) for p in plans if p.obj is not None})
    preview.notes.extend(dict.fromkeys(ctx.notes))
    if not preview.rows and not preview.problems:
        preview.problems.append(Problem("Filen innehåller inga rader att läsa in under rubrikraden."))
    return preview


def _safe_filename(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:200] or "fil"


# --- writing ----------------------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if value is None or type(value) in (str, int):
        return value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, Base):
        return getattr(value, "name", None)
    return value


class Writer:
    """Applies a checked preview in the caller's transaction and records every change in the history."""

    def __init__(self, session: Session, ctx: Context, batch: ImportBatch, username: str):
        self.session, self.ctx, self.batch, self.username = session, ctx, batch, username
        self.source = f"{SOURCE}: {batch.source}"
        self.created: list[Base] = []
        self.records: list[dict[str, Any]] = []
        self.projects: dict[str, Project] = {}
        self.parties: dict[str, Party] = {}
        self.deleted: set[tuple[str, int]] = set()
        self.at = batch.at

    def add(self, obj: Base) -> Base:
        self.session.add(obj)
        self.created.append(obj)
        return obj

    def created_project(self, name: str) -> Project:
        return self.projects[fold(name)]

    def party(self, name: str) -> Party:
        key = fold(name)
        if key not in self.parties:
            self.parties[key] = self.add(Party(name=name, kind=party_kind(name)))
        return self.parties[key]

    def record(self, entity: str, entity_id: int | None, action: str, before=None, after=None) -> None:
        self.records.append(
            {
                "at": self.at,
                "username": self.username,
                "source": self.source,
                "import_batch_id": self.batch.id,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "before": before,
                "after": after,
            }
        )

    def record_created(self, entity: str, entity_id: int, after: dict[str, Any]) -> None:
        """Record a row inserted without the ORM (see Sheet.bulk_create)."""
        self.record(entity, entity_id, "create", None, {k: _json(v) for k, v in after.items()})

    def update(self, plan: RowPlan) -> None:
        spec, obj = plan.spec, plan.obj
        before: dict[str, Any] = {}
        changes = [c.field for c in plan.changes]
        for name in changes:
            attr, old = spec.history(self.ctx, obj, name, spec.get(self.ctx, obj, name))
            before[attr] = _json(old)
        for name in changes:
            spec.assign(self.ctx, obj, name, plan.values[name], self)
        if "focus_area" in changes or "year" in changes:
            self.session.flush()  # a focus area created just now gets its id
        after: dict[str, Any] = {}
        for name in changes:
            attr, new = spec.history(self.ctx, obj, name, plan.values[name])
            after[attr] = _json(new)
        self.record(plan.entity, obj.id, "update", before, after)

    def delete(self, plan: RowPlan) -> None:
        """Remove a row, recording it and the rows that go with it (a project's phases and funders, a task's notes)
        so that undo can bring them all back."""
        obj = plan.obj
        children: list[Base] = []
        if isinstance(obj, Project):
            children = [*obj.phases, *obj.funding_lines, *obj.budget_parts]
        elif isinstance(obj, Task):
            children = list(obj.notes)
        elif isinstance(obj, Meeting):
            children = list(obj.participants)
        for row in (*children, obj):
            ident = (row.__tablename__, row.id)
            if ident in self.deleted:
                continue  # a phase removed on its own sheet and again with its project
            self.deleted.add(ident)
            self.record(row.__tablename__, row.id, "delete", {**snapshot(row), **_extras(row)}, None)
        self.session.delete(obj)

    def finish(self) -> None:
        self.session.flush()
        for obj in self.created:
            self.record(obj.__tablename__, obj.id, "create", None, {**snapshot(obj), **_extras(obj)})
        insert_rows(self.session, ChangeRecord, self.records)


def _extras(obj: Base) -> dict[str, Any]:
    """Links to other rows that a snapshot of the columns leaves out (needed to restore the row on undo)."""
    if isinstance(obj, Project):
        return {"municipalities": sorted(m.name for m in obj.municipalities)}
    if isinstance(obj, Task):
        return {"owners": [o.name for o in obj.owners]}
    return {}


def apply_preview(session: Session, preview: Preview, *, actor: Actor) -> ImportResult:
    """Write a checked preview (from `preview_upload` in this same session) and record it as one import."""
    if not preview.can_confirm:
        if preview.problems or preview.refused:
            raise ImportRefused("Filen har fel eller rader du inte får ändra. Rätta dem och ladda upp filen igen.")
        raise ImportRefused("Inget att spara: filen innehåller inga ändringar.")
    counts = preview.counts
    batch = ImportBatch(
        kind=preview.kind,
        source=preview.filename,
        sha256=preview.sha256,
        username=actor.username,
        at=utcnow(),
        counts={**counts, "rows": len(preview.rows), "remove_missing": preview.remove_missing},
    )
    session.add(batch)
    session.flush()
    audit_on_commit(
        session,
        "import",
        f"Import sparad: {preview.kind} från {preview.filename!r} av {actor.username!r}",
        account=actor.username,
        kind=preview.kind,
        file=preview.filename,
        sha256=preview.sha256,
        batch=batch.id,
        counts=dict(counts),
    )
    ctx = preview.ctx
    if ctx is None:
        raise ImportRefused("Förhandsgranskningen saknas. Ladda upp filen igen.")
    writer = Writer(session, ctx, batch, actor.username)
    try:
        specs = {id(r.spec): r.spec for r in preview.rows}  # the sheets in file order (dataclasses: not hashable)
        for spec in specs.values():
            plans = [r for r in preview.rows if r.spec is spec]
            spec.prepare(ctx, [r for r in plans if r.action == "update"])
            new = [r for r in plans if r.action == "new"]
            if new and spec.bulk_create is not None:
                spec.bulk_create(ctx, new, writer)
                new = []
            for plan in new:
                obj = plan.spec.create(ctx, plan.values, writer)
                writer.add(obj)
                plan.obj = obj
                if isinstance(obj, Project):
                    writer.projects[fold(obj.name)] = obj
            for plan in plans:
                if plan.action == "update":
                    writer.update(plan)
        for plan in reversed(preview.rows):
            if plan.action == "delete":
                writer.delete(plan)
        writer.finish()
        session.flush()
    except IntegrityError as exc:
        raise ImportRefused(
            "Uppgifterna kunde inte sparas eftersom de krockar med något som sparades samtidigt. "
            "Ladda upp filen igen för en ny förhandsgranskning."
        ) from exc
    except DataError as exc:
        raise ImportRefused(
            "Uppgifterna kunde inte sparas: ett värde passar inte i databasen (t.ex. en för lång text). "
            "Ingenting sparades."
        ) from exc
    touched = [
        {
            "entity": r.entity,
            "entity_id": r.entity_id if r.obj is None or r.obj.id is None else r.obj.id,
            "key": r.key,
            "project_id": r.entity_id if r.entity == "project" else getattr(r.obj, "project_id", None),
        }
        for r in preview.rows
        if r.action in ("new", "update")
    ]
    message = f"Importen av {preview.filename} är sparad: {counts_text(counts)}."
    return ImportResult(batch.id, preview.kind, preview.filename, counts, message, touched)


def stage_upload(session: Session, preview: Preview, content: bytes, *, actor: Actor) -> str:
    """Keep a previewed file until its uploader confirms it; returns the token that names it."""
    require_upload_rights(actor)
    if not preview.can_confirm:
        raise ImportRefused("Filen kan inte sparas: rätta felen först.")
    return keep_pending(
        session,
        actor=actor,
        kind=preview.kind,
        filename=preview.filename,
        sha256=preview.sha256,
        content=content,
        fingerprint=preview.fingerprint,
        remove_missing=preview.remove_missing,
    )


def keep_pending(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    filename: str,
    sha256: str,
    content: bytes,
    fingerprint: str,
    remove_missing: bool = False,
) -> str:
    """Keep a file in the database until its uploader confirms it (any worker can then); returns its token.

    Files older than PENDING_TTL are cleared on the way.
    """
    session.execute(delete(PendingUpload).where(PendingUpload.created_at < utcnow() - PENDING_TTL))
    token = secrets.token_urlsafe(32)
    session.add(
        PendingUpload(
            token=token,
            username=actor.username,
            kind=kind,
            filename=filename[:300],
            sha256=sha256,
            content=content,
            remove_missing=remove_missing,
            fingerprint=fingerprint,
            created_at=utcnow(),
        )
    )
    return token


def find_pending(session: Session, token: Any, *, actor: Actor, kinds: tuple[str, ...]) -> PendingUpload | None:
    """The actor's own kept file of one of `kinds` under `token`, unless it has expired."""
    if not isinstance(token, str) or not token:
        return None
    pending = session.scalars(
        select(PendingUpload).where(PendingUpload.token == token, PendingUpload.kind.in_(kinds))
    ).one_or_none()
    if pending is None or pending.username != actor.username:
        return None
    if as_utc(pending.created_at) < utcnow() - PENDING_TTL:
        return None
    return pending


def discard_upload(session: Session, token: str | None, *, actor: Actor) -> None:
    """Forget a staged upload that its uploader cancelled or replaced (someone else's token is left alone)."""
    if isinstance(token, str) and token:
        session.execute(
            delete(PendingUpload).where(PendingUpload.token == token, PendingUpload.username == actor.username)
        )


def confirm_upload(session: Session, token: str, *, actor: Actor, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportResult:
    """Write a staged upload, provided the database still gives exactly the preview its uploader saw."""
    require_upload_rights(actor)
    serialise_writes(session)
    pending = find_pending(session, token, actor=actor, kinds=tuple(KINDS))
    if pending is None:
        raise ImportRefused("Förhandsgranskningen finns inte längre. Ladda upp filen igen.")
    preview = preview_upload(
        session,
        pending.kind,
        pending.content,
        pending.filename,
        actor=actor,
        remove_missing=pending.remove_missing,
        max_bytes=max_bytes,
    )
    if not preview.can_confirm or preview.fingerprint != pending.fingerprint:
        raise ImportRefused(
            "Uppgifterna har ändrats sedan förhandsgranskningen (någon kan ha sparat samtidigt). "
            "Ladda upp filen igen för en ny förhandsgranskning."
        )
    result = apply_preview(session, preview, actor=actor)
    session.delete(pending)
    session.flush()
    return result


def import_file(
    session: Session,
    kind: str,
    content: bytes,
    filename: str,
    *,
    actor: Actor,
    remove_missing: bool = False,
    dry_run: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Preview, ImportResult | None]:
    """Preview a file and, unless it has problems or this is a dry run, write it (the command line's path)."""
    require_upload_rights(actor)
    if not dry_run:
        serialise_writes(session)
    preview = preview_upload(
        session, kind, content, filename, actor=actor, remove_missing=remove_missing, max_bytes=max_bytes
    )
    if dry_run or not preview.can_confirm:
        return preview, None
    return preview, apply_preview(session, preview, actor=actor)


__all__ = [
    "Actor",
    "FieldChange",
    "ImportRefused",
    "ImportResult",
    "Preview",
    "Problem",
    "RowPlan",
    "apply_preview",
    "confirm_upload",
    "counts_text",
    "discard_upload",
    "import_file",
    "preview_upload",
    "stage_upload",
]
