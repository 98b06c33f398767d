"""The domain core: entities, state rules and errors. Pure Python, no web or database imports."""
