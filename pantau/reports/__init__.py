"""File builders shared by all modules: PDF (WeasyPrint) and XLSX (openpyxl) documents."""
