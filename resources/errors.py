"""Errors about the platform's configuration (environment variables), reported as one line."""


class ConfigurationError(ValueError):
    """An environment variable is missing or has a value the platform does not know; the text says which."""
