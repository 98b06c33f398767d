"""`marketbox` subcommands that drive a running server through its sandbox API."""
