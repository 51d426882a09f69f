"""jwpextract: joint work plans from UN environmental-convention documents, as canonical JSON."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jwpextract")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
