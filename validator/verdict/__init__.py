"""After the rules: which findings are kept (selection, suppressions, baseline, informational notes once) and how each is identified."""
