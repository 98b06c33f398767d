"""`marketbox.asgi:app` for ASGI servers run by hand (uvicorn, granian): settings from MARKETBOX_* env."""

from marketbox.app import create_app
from marketbox.runtime import freeze_startup_objects

app = create_app()
freeze_startup_objects()
