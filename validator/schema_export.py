"""Write the JSON Schemas in schemas/: `python -m validator.schema_export [--check]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def generated() -> dict[str, str]:
    """File name -> text, for every model the project exports."""
    from validator.policy import Policy
    from validator.schema import AuthEnvironment

    models = {
        "openwebui-auth-env.schema.json": (AuthEnvironment, "validation"),
        "policy.schema.json": (Policy, "validation"),
    }
    out = {}
    for name, (model, mode) in models.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(mode=mode)}
        out[name] = json.dumps(schema, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validator.schema_export", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed schema is stale")
    args = parser.parse_args(argv)
    stale = []
    for name, text in generated().items():
        path = SCHEMAS / name
        if args.check:
            if not path.exists() or path.read_text("utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, "utf-8")
    for name in stale:
        print(f"schemas/{name} is stale: run python -m validator.schema_export", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
