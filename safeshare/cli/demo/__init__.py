"""The fake demo area "Fakeshire" (see generator.py)."""
