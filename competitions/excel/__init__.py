"""Excel in and out for competitions: sheets.py specifies the sheets and reads uploads, exports.py writes the
roster, scheme and official results; the imports themselves are services (competitions.services.excel)."""

from competitions.excel.exports import results_export, roster_export, scheme_export
from competitions.excel.sheets import (
    GROUP_LABELS,
    MAX_FILE_BYTES,
    METHOD_LABELS,
    NO_THRESHOLD,
    RESULTS,
    ROSTER,
    ROSTER_EXPORT,
    SCHEME,
    TEMPLATES,
    THEORY,
    VENUES,
    XLSX_CONTENT_TYPE,
    content_disposition,
    read_upload,
    roster_template,
    scheme_template,
)

__all__ = [
    "GROUP_LABELS", "MAX_FILE_BYTES", "METHOD_LABELS", "NO_THRESHOLD", "RESULTS", "ROSTER", "ROSTER_EXPORT", "SCHEME",
    "TEMPLATES", "THEORY", "VENUES", "XLSX_CONTENT_TYPE", "content_disposition", "read_upload",
    "results_export", "roster_export", "roster_template", "scheme_export", "scheme_template",
]
