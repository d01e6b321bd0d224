"""The per-request context every resolver receives as ``info.context``."""

from dataclasses import dataclass, field

from strawberry.types import Info as StrawberryInfo

from cms.config import Settings
from cms.events import EventBus
from cms.services.auth import Viewer
from schema.loaders import Loaders


@dataclass
class Context:
    settings: Settings
    viewer: Viewer | None
    events: EventBus
    loaders: Loaders = field(default_factory=Loaders)


Info = StrawberryInfo[Context, None]
