"""Loading and validating ``config.toml`` and the mapping files into one frozen tree."""

from syncd.config.loader import Settings, load_config, load_settings
from syncd.config.schema import Config

__all__ = ["Config", "Settings", "load_config", "load_settings"]
