"""faust agents; importing this package registers them (and their tables) on streams.app.app."""

from streams.agents import registry, rooms  # noqa: F401
