"""The app as uvicorn imports it, configured from the environment (``cms serve``)."""

from cms.app import create_app
from cms.config import Settings
from cms.serving.logging_config import configure_logging

settings = Settings()
configure_logging(settings)
app = create_app(settings)
