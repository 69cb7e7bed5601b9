"""Documents: the text of minutes and plans (.docx, .pdf, .txt, .md) and what can be read out of it."""
