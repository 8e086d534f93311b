"""The OpenAPI document flattened for the HTML page (templates/api/docs.html): fields, examples, curl."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["operations"]


def operations(spec: Mapping[str, Any], base_url: str) -> list[dict[str, Any]]:
    """Each operation flattened for the docs template: fields, example and curl command."""
    schemas = spec["components"]["schemas"]
    out = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            url = f"{base_url}{spec['servers'][0]['url']}{path}"
            entry: dict[str, Any] = {
                "method": method.upper(),
                "path": f"{spec['servers'][0]['url']}{path}",
                "id": path.strip("/").replace(".", "-"),
                "summary": operation["summary"],
                "description": operation["description"],
                "request_fields": [],
                "response_fields": [],
                "errors": [],
                "alternatives": [],
                "example": None,
                "curl": f"curl -sS {url}",
            }
            body = operation.get("requestBody")
            if body:
                content = body["content"]["application/json"]
                entry["request_fields"] = _fields(content["schema"], schemas)
                entry["alternatives"] = [
                    {
                        "name": ref["$ref"].rsplit("/", 1)[1],
                        "description": _resolve(ref, schemas).get("description", ""),
                    }
                    for ref in content["schema"].get("anyOf", [])[1:]
                ]
                example = json.dumps(content["example"], indent=2, ensure_ascii=False)
                entry["example"] = example
                entry["curl"] = (
                    f"curl -sS -X POST {url} \\\n  -H 'Content-Type: application/json' \\\n"
                    f"  -d '{_shell_quote(json.dumps(content['example'], ensure_ascii=False))}'"
                )
            responses = operation["responses"]
            ok = responses["200"]["content"]
            if "application/json" in ok:
                entry["response_fields"] = _fields(ok["application/json"]["schema"], schemas)
            entry["errors"] = [
                {"status": status, "description": response["description"]}
                for status, response in responses.items()
                if status != "200"
            ]
            out.append(entry)
    return out


def _resolve(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _fields(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, schemas)
    if "anyOf" in schema:  # the first alternative is the usual body; the others are described
        schema = _resolve(schema["anyOf"][0], schemas)
    required = set(schema.get("required", ()))
    fields = []
    for name, prop in schema.get("properties", {}).items():
        resolved = _resolve(prop, schemas)
        items = _resolve(prop.get("items", {}), schemas) if prop.get("type") == "array" else {}
        fields.append(
            {
                "name": name,
                "type": _type_name(prop, schemas),
                "required": name in required,
                "description": prop.get("description")
                or resolved.get("description")
                or items.get("description", ""),
            }
        )
    return fields


def _type_name(prop: Mapping[str, Any], schemas: Mapping[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        target = schemas[name]
        if "enum" in target:
            return " | ".join(target["enum"])
        return name
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items", {})
        return f"array of {_type_name(items, schemas) if items else 'any'}"
    if "enum" in prop:
        return " | ".join(str(v) for v in prop["enum"])
    if kind is None:
        return "any"
    return f"{kind} or null" if prop.get("nullable") else str(kind)


def _shell_quote(text: str) -> str:
    """For inside '…' in a POSIX shell."""
    return text.replace("'", "'\\''")
