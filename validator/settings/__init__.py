"""The settings of a run: the configuration file, the command line, and the policy they make."""
