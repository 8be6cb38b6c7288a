"""Pydantic schemas for the API: strict on input, explicit on output, one module per area."""
