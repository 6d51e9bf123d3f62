"""The version of seloste: recorded in every PDF and manifest, and part of the build cache's fingerprint."""

__version__ = "0.1.0"
