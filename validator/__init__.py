"""owui-config-validator: check Open WebUI's JWT expiry and secret key settings in deployment files."""

__version__ = "0.1.0"
