"""Read a Pulumi project's configuration the way the CLI does, without the CLI.

``Pulumi.yaml`` gives the project name, ``stackConfigDir`` and config defaults; ``Pulumi.<stack>.yaml``
gives the stack's values. Values become the strings the engine hands a program: booleans ``true``/
``false``, numbers as text, lists and maps as JSON. Unqualified keys belong to the project namespace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from residency.errors import ResidencyError
from residency.yaml_files import safe_load

# Encrypted stack values cannot be decrypted offline; the program sees this placeholder and is told so.
SECRET_PLACEHOLDER = "[secret-unavailable-offline]"


class ProjectError(ResidencyError):
    """A Pulumi project or stack file is missing or malformed."""


@dataclass(frozen=True)
class Project:
    directory: Path
    name: str
    stack_config_dir: Path
    defaults: dict[str, str]
    main: Path
    # Keys declared with a type and no default: every stack must set them.
    required: tuple[str, ...] = ()

    def stack_file(self, stack: str) -> Path:
        return self.stack_config_dir / f"Pulumi.{stack}.yaml"

    def stacks(self) -> list[str]:
        """Every stack with a config file, sorted by name."""
        prefix, suffix = "Pulumi.", ".yaml"
        return sorted(
            p.name[len(prefix) : -len(suffix)]
            for p in self.stack_config_dir.glob("Pulumi.*.yaml")
            if p.name != "Pulumi.yaml"
        )


def config_string(value: Any) -> str:
    """The string form the Pulumi engine gives a program for a YAML config value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def qualify(key: str, project: str) -> str:
    """``key`` as the engine names it: unqualified keys belong to the project (``pulumi config set``)."""
    return key if ":" in key else f"{project}:{key}"


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(f"{path} does not exist") from None
    except (OSError, yaml.YAMLError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ProjectError(f"cannot read {path}: {first}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProjectError(f"{path} must be a YAML mapping")
    return data


def _config_section(data: dict[str, Any], path: Path) -> dict[Any, Any]:
    """The file's ``config:`` block, which must be a mapping of key to value (or absent/empty)."""
    section = data.get("config")
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ProjectError(f"{path}: config must be a mapping of key: value, got {type(section).__name__}")
    return section


def load_project(directory: Path) -> Project:
    directory = directory.resolve()
    path = directory / "Pulumi.yaml"
    if not path.exists() and (directory / "Pulumi.yml").exists():
        path = directory / "Pulumi.yml"  # the CLI accepts either spelling; Pulumi.yaml is the one to name
    data = _read_yaml(path)
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ProjectError(f"{path} has no project name")
    defaults: dict[str, str] = {}
    required: list[str] = []
    for key, spec in _config_section(data, path).items():
        qualified = qualify(str(key), name)
        if isinstance(spec, dict):
            value = spec.get("value", spec.get("default"))
            if value is not None:
                defaults[qualified] = config_string(value)
            elif "type" in spec:
                # The CLI refuses a stack that lacks a typed key declared without a default.
                required.append(qualified)
        elif spec is not None:
            defaults[qualified] = config_string(spec)
    main = directory / str(data.get("main") or ".")
    return Project(
        directory=directory,
        name=name,
        stack_config_dir=directory / str(data.get("stackConfigDir") or "."),
        defaults=defaults,
        main=main,
        required=tuple(required),
    )


def load_stack_config(project: Project, stack: str, *, required: bool = True) -> tuple[dict[str, str], list[str]]:
    """The config a stack's program sees (project defaults overlaid by the stack file) and its secret keys.

    A missing stack file is an error when ``required`` (a named stack must exist), else just the defaults.
    """
    config = dict(project.defaults)
    secret_keys: list[str] = []
    path = project.stack_file(stack)
    if not path.exists():
        if required:
            known = ", ".join(project.stacks()) or "none"
            raise ProjectError(
                f"unknown stack {stack!r}: no {path.name} in {project.stack_config_dir} (stacks: {known})"
            )
        return config, secret_keys
    data = _read_yaml(path)
    for key, value in _config_section(data, path).items():
        qualified = qualify(str(key), project.name)
        if isinstance(value, dict) and set(value) == {"secure"}:
            config[qualified] = SECRET_PLACEHOLDER
            secret_keys.append(qualified)
        else:
            config[qualified] = config_string(value)
    missing = [k for k in project.required if k not in config]
    if missing:
        # The same check, and the same words, as the Pulumi CLI's project-config validation.
        raise ProjectError(f"Stack '{stack}' is missing configuration value '{missing[0]}'")
    return config, secret_keys


def find_project_dir(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` (default: cwd) holding a Pulumi.yaml."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "Pulumi.yaml").exists():
            return candidate
    raise ProjectError(f"no Pulumi.yaml in {here} or any parent directory; run from the project or pass --project-dir")
