"""narrate: budget figures in, a first-draft budget disclosure (预算公开) out."""

__version__ = "0.1.0"
