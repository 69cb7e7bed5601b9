"""Reading a document's text: .txt/.md in any common encoding, .docx (with Word's automatic numbers), .pdf with a text
layer (page marks, running headers, hyphenation and broken lines mended), and a clear message for what cannot be read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.docfiles import make_docx, make_pdf
from data.documents.extract import NOT_A_DOCUMENT, classify, extract_text
from data.documents.text import DocumentProblem, read_document

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MINUTES = SEEDS / "000_97e14613fcf6c3ba.txt"
PLAN = SEEDS / "002_c534bd840d8e5979.txt"


@pytest.mark.parametrize(
    "content",
    [
        "Kommunchefsmöte i Umeå\nKansliet får i uppdrag att återkomma.".encode(),
        "\ufeffKommunchefsmöte i Umeå\nKansliet får i uppdrag att återkomma.".encode(),
        "Kommunchefsmöte i Umeå\r\nKansliet får i uppdrag att återkomma.".encode("cp1252"),
        "Kommunchefsmöte i Umeå\nKansliet får i uppdrag att återkomma.".encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 bom", "cp1252 crlf", "utf-16"],
)
def test_text_files_in_any_common_encoding(content):
    doc = read_document(content, "anteckningar.txt")
    assert doc.text == "Kommunchefsmöte i Umeå\nKansliet får i uppdrag att återkomma." and doc.format == "txt"


def test_markdown_is_read_as_text():
    assert read_document(b"# Verksamhetsplan 2005\n\nText.", "plan.md").format == "md"


def test_word_document_keeps_automatic_numbers_line_breaks_and_table_cells():
    content = make_docx(
        ["Kommunchefsmöte", ("numbered", "Mötet öppnas"), ("numbered", "Föregående möte"), "Rad ett\nrad två"],
        table=[["Namn", "Roll"], ["Maria Persson", "Sekreterare"]],
    )
    text = read_document(content, "protokoll.docx").text
    assert text.splitlines() == [
        "Kommunchefsmöte",
        "1. Mötet öppnas",
        "2. Föregående möte",
        "Rad ett",
        "rad två",
        "Namn",
        "Roll",
        "Maria Persson",
        "Sekreterare",
    ]


def test_pdf_text_is_mended_page_marks_headers_hyphens_and_broken_sentences():
    pages = [
        [
            "Umeåregionen",
            "Kommunchefsmöte 2019-05-16",
            "Kansliet får i uppdrag att ta fram en utveck-",
            "lingsplan",
        ],
        ["Umeåregionen", "som ska redovisas till nästa möte.", "2(3)"],
        ["Umeåregionen", "Sida 3 av 3", "Mötet avslutas."],
    ]
    doc = read_document(make_pdf(pages), "protokoll.pdf")
    assert doc.format == "pdf" and doc.pages == 3
    assert doc.text.splitlines() == [
        "Kommunchefsmöte 2019-05-16",
        "Kansliet får i uppdrag att ta fram en utvecklingsplan som ska redovisas till nästa möte.",
        "Mötet avslutas.",
    ]


def test_the_seed_minutes_as_pdf_and_word_read_the_same_sentences():
    lines = MINUTES.read_text(encoding="utf-8").splitlines()
    pages = [
        lines[i : i + 40] + [f"{n + 1}({(len(lines) + 39) // 40})"] for n, i in enumerate(range(0, len(lines), 40))
    ]
    from_pdf = read_document(make_pdf(pages), "kc.pdf").text
    from_word = read_document(make_docx(lines), "kc.docx").text
    for needle in ("Mötet öppnas", "2019-05-16", "Skellefteå stadshus samt via länk"):
        assert needle in from_pdf and needle in from_word
    assert "1(3)" not in from_pdf


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "tom.txt", "Dokumentet är tomt."),
        (b"\xef\xbb\xbf  \n\n", "tom.txt", "Dokumentet är tomt."),
        (make_pdf([[], []]), "inskannad.pdf", "PDF-filen har inget textlager (den verkar vara inskannad)."),
        (b"%PDF-1.4\n garbage without objects", "trasig.pdf", "PDF-filen går inte att läsa"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "gammal.doc", "det gamla Word-formatet (.doc)"),
        (b"PK\x03\x04 not really a zip", "trasig.docx", "Filen går inte att öppna"),
        (b"\x00\x01\x02\x03binary" * 50, "bin.txt", "Filen går inte att läsa som text"),
    ],
    ids=["empty", "bom only", "scanned pdf", "broken pdf", "old doc", "broken zip", "binary"],
)
def test_unreadable_documents_get_a_clear_swedish_message(content, name, message):
    with pytest.raises(DocumentProblem) as caught:
        read_document(content, name)
    assert message in str(caught.value)


def test_an_excel_file_is_sent_to_the_table_uploads():
    import io

    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    with pytest.raises(DocumentProblem, match="Excel-fil"):
        read_document(out.getvalue(), "projekt.xlsx")


def test_a_document_over_the_size_limit_is_refused():
    with pytest.raises(DocumentProblem, match="för stort"):
        read_document(b"x" * 2048, "stor.txt", max_bytes=1024)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (MINUTES.read_text(encoding="utf-8"), "minutes"),
        (PLAN.read_text(encoding="utf-8"), "plan"),
        ("Protokoll fört vid sammanträde. Beslutande: Anna. Sekreterare: Per. 1. Mötet öppnas.", "minutes"),
        ("Verksamhetsplan 2024. Insatsområde: Näringsliv. Tidsram 2024–2025. Total budget 2 mkr.", "plan"),
        ("Inköpslista: mjölk, bröd, ost. Kom ihåg att ringa mormor.", None),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", None),
    ],
    ids=["seed minutes", "seed plan", "other minutes", "other plan", "shopping list", "lorem ipsum"],
)
def test_classify_tells_minutes_from_plans_and_from_anything_else(text, kind):
    assert classify(text) == kind


def test_a_text_that_is_neither_gets_a_message_and_no_items():
    with pytest.raises(DocumentProblem) as caught:
        extract_text("Inköpslista: mjölk, bröd, ost.")
    assert str(caught.value) == NOT_A_DOCUMENT
