"""What connects the drawing to the data: plain functions plus a register(app) hook per module."""
