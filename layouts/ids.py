"""Component ids, page-prefixed and kebab-case."""

URL = "shell-url"
SHELL = "shell-root"
KOMMUN_SELECT = "shell-kommun-select"
PAGE = "shell-page"
NAV = "shell-nav"
FILTER_ALERT = "shell-filter-alert"
EXPORT_PPTX = "shell-export-pptx"
EXPORT_XLSX = "shell-export-xlsx"


def nav_link(path: str) -> str:
    return "shell-nav-" + (path.strip("/") or "oversikt")
