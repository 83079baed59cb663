"""The overleg's quarterly report: charts, a PDF/A and CSV exports of the quarter's tables."""
