"""Identity linkage: finding the same child in the records that different agencies hold."""
