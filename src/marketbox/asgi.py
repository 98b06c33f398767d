"""`marketbox.asgi:app` for ASGI servers run by hand (uvicorn, granian): settings from MARKETBOX_* env."""

from marketbox.app import create_app

app = create_app()
