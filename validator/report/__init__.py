"""Output formats: one module per format, each turning findings into text."""
