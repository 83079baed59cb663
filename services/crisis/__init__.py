"""Crisis: crisismaatregel: medische verklaring, horen, besluit burgemeester, afschriften en termijnen."""
