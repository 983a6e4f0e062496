#!/usr/bin/env python3
"""Down-converts ruad's OpenAPI 3.1 document to OpenAPI 3.0.3 for progenitor.

progenitor (the Rust SDK generator) reads OpenAPI 3.0 only (the `openapiv3` crate). utoipa
emits 3.1, whose schemas are JSON Schema 2020-12. This script rewrites the 3.1-only forms
the spec uses into their 3.0 equivalents and fails on any 3.1-only form it does not know,
so a new construct in the spec stops generation instead of producing a wrong client:

- `type: [T, "null"]`                    -> `type: T, nullable: true`
- `oneOf`/`anyOf` of X and `{type: null}` -> X with `nullable: true` (a `$ref` X becomes
                                            `allOf: [X]`, as 3.0 ignores `$ref` siblings)
- `examples: [a, ...]`                   -> `example: a`
- numeric `exclusiveMinimum`/`Maximum`   -> `minimum`/`maximum` + boolean flag
- `const: v`                             -> `enum: [v]`
- `propertyNames`, `contentMediaType`, `contentEncoding`, `$schema`: dropped (no 3.0 form;
  they only constrain or describe)
- `info.license.identifier`, `info.summary`, `webhooks`, `jsonSchemaDialect`: dropped
- siblings of `$ref` (descriptions): dropped, as 3.0 ignores them

With --progenitor, also what progenitor 0.15 cannot take, in the generated client's terms:

- error answers in `application/problem+json` (inline, and the shared ones under
  `components.responses`) are declared `application/json`, the only media type progenitor
  parses into a typed error (the body is the same `Problem` JSON);
- a request body keeps one media type, the first progenitor supports of `application/json`,
  `application/octet-stream`, `application/x-www-form-urlencoded`, `text/plain` (so the
  Rust client uploads a report as raw bytes, not as multipart);
- an operation with no such media type is left out and named on stderr (only the RFC 8460
  receiver, `POST /api/v1/tlsrpt/{ingest_token}`, which mail senders call, not API clients).

Usage: openapi31to30.py [--progenitor] IN.json OUT.json. Output is deterministic (keys in
input order, 2-space indent, trailing newline).
"""

import json
import sys

# Keys whose values are schemas, maps of schemas or lists of schemas.
SCHEMA_KEYS = {"items", "additionalProperties", "not"}
SCHEMA_MAP_KEYS = {"properties"}
SCHEMA_LIST_KEYS = {"allOf", "oneOf", "anyOf"}
DROPPED = {"propertyNames", "contentMediaType", "contentEncoding", "$schema", "$id"}
# 3.1-only schema keywords with no conversion here: fail rather than guess.
UNSUPPORTED = {
    "prefixItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentSchemas",
    "dependentRequired",
    "if",
    "then",
    "else",
    "$defs",
    "patternProperties",
    "contains",
    "minContains",
    "maxContains",
}


class ConversionError(Exception):
    pass


def is_null_schema(s):
    return isinstance(s, dict) and s.get("type") == "null" and len(s) == 1


def convert_schema(schema, where):
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        # 3.0 ignores every sibling of $ref.
        return {"$ref": schema["$ref"]}
    if is_null_schema(schema):
        # Only valid as a oneOf/anyOf variant, which the parent folds into `nullable`;
        # check_no_null() fails on any left over.
        return schema
    out = {}
    for key, value in schema.items():
        if key in DROPPED:
            continue
        if key in UNSUPPORTED:
            raise ConversionError(f"{where}: 3.1 keyword {key!r} has no 3.0 conversion")
        if key in SCHEMA_KEYS and isinstance(value, dict):
            out[key] = convert_schema(value, f"{where}/{key}")
        elif key in SCHEMA_MAP_KEYS:
            out[key] = {k: convert_schema(v, f"{where}/{key}/{k}") for k, v in value.items()}
        elif key in SCHEMA_LIST_KEYS:
            out[key] = [convert_schema(v, f"{where}/{key}/{i}") for i, v in enumerate(value)]
        elif key == "examples" and isinstance(value, list):
            if value:
                out["example"] = value[0]
        elif key == "const":
            out["enum"] = [value]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            out[bound] = value
            out[key] = True
        elif key == "type" and isinstance(value, list):
            types = [t for t in value if t != "null"]
            if len(types) != 1:
                raise ConversionError(f"{where}: type {value!r} has no 3.0 form")
            out["type"] = types[0]
            if "null" in value:
                out["nullable"] = True
        else:
            out[key] = value
    # oneOf/anyOf [X, null] -> nullable X.
    for key in ("oneOf", "anyOf"):
        variants = out.get(key)
        if not variants or not any(is_null_schema(v) for v in variants):
            continue
        rest = [v for v in variants if not is_null_schema(v)]
        del out[key]
        if len(rest) == 1 and "$ref" in rest[0]:
            out["allOf"] = rest
        elif len(rest) == 1:
            for k, v in rest[0].items():
                out.setdefault(k, v)
        else:
            out[key] = rest
        out["nullable"] = True
    return out


def check_no_null(node, where="#"):
    if isinstance(node, dict):
        if node.get("type") == "null":
            raise ConversionError(f"{where}: a null type outside oneOf/anyOf has no 3.0 form")
        for k, v in node.items():
            check_no_null(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_no_null(v, f"{where}/{i}")


def convert_content(content, where):
    return {
        media: {
            **media_obj,
            **(
                {"schema": convert_schema(media_obj["schema"], f"{where}/{media}")}
                if "schema" in media_obj
                else {}
            ),
        }
        for media, media_obj in content.items()
    }


def convert_parameter(param, where):
    out = dict(param)
    if "schema" in out:
        out["schema"] = convert_schema(out["schema"], f"{where}/schema")
    if "examples" in out and isinstance(out["examples"], list):
        out["example"] = out.pop("examples")[0]
    return out


def convert_operation(op, where):
    out = dict(op)
    if "parameters" in out:
        out["parameters"] = [
            convert_parameter(p, f"{where}/parameters/{i}") for i, p in enumerate(out["parameters"])
        ]
    if "requestBody" in out:
        body = dict(out["requestBody"])
        if "content" in body:
            body["content"] = convert_content(body["content"], f"{where}/requestBody")
        out["requestBody"] = body
    out["responses"] = {
        status: convert_response(response, f"{where}/{status}")
        for status, response in out.get("responses", {}).items()
    }
    return out


def convert_response(response, where):
    """A response (or a `$ref` to a shared one, left as it is): its content and headers."""
    response = dict(response)
    if "content" in response:
        response["content"] = convert_content(response["content"], where)
    if "headers" in response:
        response["headers"] = {
            name: convert_header(header, f"{where}/headers/{name}")
            for name, header in response["headers"].items()
        }
    return response


def convert_header(header, where):
    if "$ref" in header:
        return header
    header = dict(header)
    if "schema" in header:
        header["schema"] = convert_schema(header["schema"], f"{where}/schema")
    return header


METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PROGENITOR_BODY_TYPES = [
    "application/json",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "text/plain",
]


def for_progenitor(doc):
    paths = {}
    for path, item in doc["paths"].items():
        new_item = {}
        for method, op in item.items():
            if method not in METHODS:
                new_item[method] = op
                continue
            op = dict(op)
            body = op.get("requestBody")
            if body is not None:
                content = body.get("content", {})
                keep = next((m for m in PROGENITOR_BODY_TYPES if m in content), None)
                if keep is None:
                    print(
                        f"openapi31to30: left out {method.upper()} {path} ({op.get('operationId')}): "
                        f"no request media type progenitor takes in {sorted(content)}",
                        file=sys.stderr,
                    )
                    continue
                op["requestBody"] = {**body, "content": {keep: content[keep]}}
            op["responses"] = {
                status: problem_as_json(response)
                for status, response in op.get("responses", {}).items()
            }
            new_item[method] = op
        if any(m in METHODS for m in new_item):
            paths[path] = new_item
    out = {**doc, "paths": paths}
    components = doc.get("components", {})
    if "responses" in components:
        out["components"] = {
            **components,
            "responses": {
                name: problem_as_json(response)
                for name, response in components["responses"].items()
            },
        }
    return out


def problem_as_json(response):
    """A problem response declared `application/json`, the media type progenitor types."""
    content = response.get("content")
    if content and "application/problem+json" in content:
        content = {
            ("application/json" if m == "application/problem+json" else m): v
            for m, v in content.items()
        }
        response = {**response, "content": content}
    return response


def convert(doc):
    if not str(doc.get("openapi", "")).startswith("3.1"):
        raise ConversionError(f"expected an OpenAPI 3.1 document, got {doc.get('openapi')!r}")
    out = {}
    for key, value in doc.items():
        if key in ("webhooks", "jsonSchemaDialect"):
            continue
        if key == "openapi":
            out[key] = "3.0.3"
        elif key == "info":
            info = {k: v for k, v in value.items() if k != "summary"}
            if "license" in info:
                info["license"] = {k: v for k, v in info["license"].items() if k != "identifier"}
            out[key] = info
        elif key == "paths":
            out[key] = {
                path: {
                    m: convert_operation(op, f"{path}/{m}") if m in METHODS else op
                    for m, op in item.items()
                }
                for path, item in value.items()
            }
        elif key == "components":
            comps = dict(value)
            comps.pop("pathItems", None)
            if "schemas" in comps:
                comps["schemas"] = {
                    name: convert_schema(s, f"#/components/schemas/{name}")
                    for name, s in comps["schemas"].items()
                }
            if "responses" in comps:
                comps["responses"] = {
                    name: convert_response(r, f"#/components/responses/{name}")
                    for name, r in comps["responses"].items()
                }
            if "headers" in comps:
                comps["headers"] = {
                    name: convert_header(h, f"#/components/headers/{name}")
                    for name, h in comps["headers"].items()
                }
            out[key] = comps
        else:
            out[key] = value
    return out


def main():
    args = sys.argv[1:]
    progenitor = "--progenitor" in args
    args = [a for a in args if a != "--progenitor"]
    if len(args) != 2:
        sys.exit("usage: openapi31to30.py [--progenitor] IN.json OUT.json")
    with open(args[0], encoding="utf-8") as f:
        doc = json.load(f)
    try:
        converted = convert(doc)
        check_no_null(converted)
        if progenitor:
            converted = for_progenitor(converted)
    except ConversionError as e:
        sys.exit(f"openapi31to30: {e}")
    with open(args[1], "w", encoding="utf-8") as f:
        json.dump(converted, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
