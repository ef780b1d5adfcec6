"""What Open WebUI does with its settings, reproduced from its source (see docs in each module)."""
