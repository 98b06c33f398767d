"""marketbox: a self-hosted, stateful emulator of marketplace seller APIs."""

__version__ = "0.1.0"
