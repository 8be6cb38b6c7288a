# Requests and disclosures hold personal data: they are read through the access layer (which
# records the read), never through Django admin.
