"""The document benchmark runs and reports every format of both kinds (timings are measured, not tested)."""

from __future__ import annotations

from bench import documents


def test_a_small_document_benchmark_reports_every_kind_and_format():
    result = documents.run(pages=3, repeat=1, log=lambda _m: None)
    assert set(result["documents"]) == {f"{k}.{f}" for k in ("minutes", "plan") for f in ("txt", "docx", "pdf")}
    for name, entry in result["documents"].items():
        assert entry["found_kind"] == name.split(".")[0] and entry["items"] > 0 and entry["p50_s"] > 0
    assert result["documents"]["minutes.pdf"]["pdf_pages"] >= 2
    assert "| minutes.txt (mål < 10 s) |" in documents.markdown(result)


def test_the_long_text_keeps_agenda_numbers_unique():
    text = documents.long_text("minutes", 10)
    numbers = [int(line.split(".")[0]) for line in text.splitlines() if line[:1].isdigit() and ". " in line[:5]]
    assert len(numbers) == len(set(numbers)) > 11
