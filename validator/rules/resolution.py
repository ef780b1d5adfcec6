"""Values the validator cannot know: interpolation without a value, references it cannot follow."""

from __future__ import annotations

from validator.findings import Finding, Severity
from validator.rules.base import Rule
from validator.sources.model import Deployment, Setting


class Unresolved(Rule):
    """The value cannot be resolved from the files checked, so it is not checked.

    ## What it does
    Reports JWT_EXPIRES_IN or secret key values that come from somewhere the validator cannot see:
    `${VAR}` with no value in the `.env` beside the compose file and no default, a variable taken
    from the shell (`- WEBUI_SECRET_KEY` with no `=`), or a reference to a Secret not among the files.
    A `$` inside a key (password generators make them) is read by compose as a reference too: the
    finding says so without quoting the text after the `$`, which is part of the key.

    ## Why is this bad?
    It is not a problem in itself: it tells you which values were not checked, so a clean run is
    not mistaken for a verified one.

    ## Example
    ```yaml
    environment:
      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}
    ```

    ## Use instead
    Check the file that holds the value too (`owui-validate check compose.yaml .env`), or give a
    default that documents the expected form: `${JWT_EXPIRES_IN:-4w}`. Write a `$` inside a key as
    `$$` (or generate keys with `openssl rand -hex 32`, which has none).
    """

    code = "OW209"
    name = "value-unresolved"
    severity = Severity.INFO

    @classmethod
    def about(cls, setting: Setting, deployment: Deployment) -> Finding:
        reason = setting.unresolved or "its value is not in the files checked"
        return cls.finding(f"{setting.name} cannot be resolved ({reason}): not checked", setting.location,
                           setting=setting, deployment=deployment)
