"""Placeholder replaced by the API module."""

from ninja import NinjaAPI

api = NinjaAPI(title="SafeShare API", version="1", urls_namespace="api")
