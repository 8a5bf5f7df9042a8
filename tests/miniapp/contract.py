"""openapi.yaml as a test oracle: each response's body validated against the schema its
operation declares for that status (openapi-schema-validator, with the document's $refs)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import init_data_py
import yaml
from openapi_schema_validator import OAS31Validator

SPEC = Path(__file__).resolve().parents[2] / "bot" / "web" / "miniapp" / "openapi.yaml"


def signed_init_data(token: str, user_id: int, at: datetime, **user: Any) -> str:
    """initData as Telegram signs it for this user (init-data-py's own signer)."""
    fields = {"id": user_id, "first_name": user.pop("first_name", "담당"), **user}
    return init_data_py.sign(
        {"user": json.dumps(fields, ensure_ascii=False), "query_id": "AAE-test"},
        token,
        auth_date=at,
    )


@dataclass
class Contract:
    spec: dict[str, Any]

    @classmethod
    def load(cls) -> Contract:
        return cls(yaml.safe_load(SPEC.read_text(encoding="utf-8")))

    def _operation(self, method: str, path: str) -> dict[str, Any]:
        for template, item in self.spec["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path) and method.lower() in item:
                # A literal path wins over a templated one (/api/broadcasts/drafts).
                if "{" in template and path in self.spec["paths"]:
                    continue
                return dict(item[method.lower()])
        raise AssertionError(f"{method} {path} is not in openapi.yaml")

    def check(self, method: str, path: str, response: httpx.Response) -> None:
        operation = self._operation(method, path)
        declared = operation["responses"].get(str(response.status_code))
        assert declared is not None, (
            f"{method} {path} answered {response.status_code}, not declared: {response.text}"
        )
        if "$ref" in declared:
            name = declared["$ref"].rsplit("/", 1)[1]
            declared = self.spec["components"]["responses"][name]
        schema = declared["content"]["application/json"]["schema"]
        # "#/components/…" resolves against the schema's root: give it the document's.
        rooted = {**schema, "components": self.spec["components"]}
        OAS31Validator(rooted).validate(response.json())
        if response.status_code >= 400:
            assert response.json()["error"]["message"], response.text
