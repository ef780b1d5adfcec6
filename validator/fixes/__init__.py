"""After the verdict, before the report: rewrite the values whose fix the rules give (`--fix`, `--diff`)."""
