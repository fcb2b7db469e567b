#!/usr/bin/python3
# `docker-compose config` (Debian's Compose v1.29) over many projects in one process: stdin is a JSON
# list of {folder, files, env}; stdout a JSON list of {config} (the YAML `config` prints) or {error}.
# One Python start for all projects instead of one per project. The build-context check is switched
# off: the fixtures keep configuration files only, and a missing build folder says nothing about ports.
import io
import json
import os
import sys

from compose.cli.command import get_config_from_options
from compose.config import config as compose_config
from compose.config.serialize import serialize_config

compose_config.validate_paths = lambda service_dict: None

base_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DOCKER_HOST": "unix:///nonexistent"}
results = []
for project in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(base_env)
    os.environ.update(project.get("env") or {})
    try:
        os.chdir(project["folder"])
        options = {"--file": project["files"], "--project-directory": project["folder"]}
        results.append({"config": serialize_config(get_config_from_options(".", options))})
    except Exception as error:  # a refusal is an answer too
        results.append({"error": (str(error) or type(error).__name__).strip().split("\n")[0]})
json.dump(results, sys.stdout)
