"""drill: timed backend interview drills in the terminal."""

__version__ = "0.1.0"
