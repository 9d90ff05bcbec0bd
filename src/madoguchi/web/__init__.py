"""The web face of madoguchi: FastAPI pages and JSON API (`create_app`)."""

from .app import create_app

__all__ = ["create_app"]
