"""The `ulakbel` command: local development (embedded AWS), tokens, imports and operator tools.

Not part of the Lambda package; it may import dev-only dependencies (moto, chalice's CLI).
"""
