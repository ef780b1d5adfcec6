"""Plain dataclasses that pydantic can still validate and export, without importing pydantic.

The models every `check` run builds (the policy, the configuration, the auth environment) are
stdlib dataclasses: `import pydantic` and building a model cost more than the whole check of a
staged file. The validation and JSON Schema they carry are written as `Annotated` metadata below,
which pydantic reads through its `__get_pydantic_*__` hooks only when a configuration file is
validated or `python -m validator.generate` exports the schemas (`adapter()`). The markers are
plain classes, not dataclasses: every class built at start-up is paid for on every commit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any


def kebab(name: str) -> str:
    """The configuration file's spelling of a field (`max_jwt_expiry` -> `max-jwt-expiry`)."""
    return name.replace("_", "-")


class Check:
    """Validate with `function` after the type's own validation (pydantic's AfterValidator)."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.function, handler(source))


class Constrain:
    """Constraints of the type's own core schema (`ge`, `min_length`): pydantic's own messages and
    JSON Schema keywords (`minimum`, `minLength`)."""

    __slots__ = ("constraints",)

    def __init__(self, **constraints: int) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return {**handler(source), **self.constraints}


class Describe:
    """A description in the exported JSON Schema."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {**handler(core_schema), "description": self.text}


class JsonSchema:
    """The exported JSON Schema of a field, replacing the one of its Python type (WithJsonSchema);
    built only on export."""

    __slots__ = ("build",)

    def __init__(self, build: Callable[[], dict[str, Any]]) -> None:
        self.build = build

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return self.build()


class Internal:
    """A field left out of the exported JSON Schema (SkipJsonSchema)."""

    __slots__ = ()

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        from pydantic_core import PydanticOmit

        raise PydanticOmit


@cache
def adapter(cls: type) -> Any:
    """pydantic's TypeAdapter for one of these dataclasses, built once and only when needed."""
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of a dataclass, with the defaults of `default_factory` fields shown too."""
    from pydantic.json_schema import GenerateJsonSchema

    class WithFactoryDefaults(GenerateJsonSchema):
        def get_default_value(self, schema: Any) -> Any:
            if "default_factory" in schema and not schema.get("default_factory_takes_data"):
                return schema["default_factory"]()
            return super().get_default_value(schema)

    return adapter(cls).json_schema(schema_generator=WithFactoryDefaults)  # type: ignore[no-any-return]
