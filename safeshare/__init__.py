"""SafeShare: multi-agency information sharing for safeguarding children."""
