"""The app as uvicorn imports it, configured from the environment (``cms serve``)."""

from cms.app import create_app
from cms.config import Settings

app = create_app(Settings())
