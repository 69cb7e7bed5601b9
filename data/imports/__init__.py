"""Uploads of Excel and CSV files: read, check, preview, write in one transaction, undo."""

from data.imports.engine import (
    Actor,
    FieldChange,
    ImportRefused,
    ImportResult,
    Preview,
    Problem,
    RowPlan,
    confirm_upload,
    counts_text,
    discard_upload,
    import_file,
    preview_upload,
    stage_upload,
)
from data.imports.kinds import KINDS
from data.imports.templates import build_template, template_filename
from data.imports.undo import UndoResult, latest_undoable, list_imports, undo_latest

__all__ = [
    "KINDS",
    "Actor",
    "FieldChange",
    "ImportRefused",
    "ImportResult",
    "Preview",
    "Problem",
    "RowPlan",
    "UndoResult",
    "build_template",
    "confirm_upload",
    "counts_text",
    "discard_upload",
    "import_file",
    "latest_undoable",
    "list_imports",
    "preview_upload",
    "stage_upload",
    "template_filename",
    "undo_latest",
]
