"""Proof instead of prediction: issue session tokens the way Open WebUI does and verify them.

`tokens` checks a deployment's effective key and lifetime offline with real PyJWT; `probe` signs in
to a running server. Both import PyJWT, so nothing on the `check` path may import this package.
"""
