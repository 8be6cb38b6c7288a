"""One router per area. Each operation: ``@declares`` its capability, calls ``authorised`` with the
same capability, fetches records through ``access_*`` (or a scope), calls one service or selector,
and returns what the response schema renders."""
