"""SafeShare's database backends (Django ``ENGINE`` values)."""
