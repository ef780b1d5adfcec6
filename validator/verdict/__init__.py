"""After the rules: which findings are kept (selection, suppressions, baseline) and how each is identified."""
