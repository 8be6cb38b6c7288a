"""Nothing registered: consent records are personal data, read and written only through services."""
