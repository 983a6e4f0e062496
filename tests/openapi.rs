//! The committed spec (`openapi/openapi.json`) must equal what the code generates.
//! `EXPECTORATE=overwrite cargo test --test openapi` rewrites it; review the diff like code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn the_committed_openapi_spec_matches_the_code() {
    let spec = ruad::api::openapi();
    let mut json = serde_json::to_string_pretty(&spec).unwrap();
    json.push('\n');
    expectorate::assert_contents("openapi/openapi.json", &json);
}

#[test]
fn every_operation_has_a_unique_verb_noun_id_a_tag_and_documented_errors() {
    let doc = serde_json::to_value(ruad::api::openapi()).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                id.contains('_') && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{method} {path}: operationId {id:?}"
            );
            assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}: no tag"
            );
            assert!(op["summary"].is_string(), "{method} {path}: no summary");
            let responses = op["responses"].as_object().unwrap();
            for (status, response) in responses {
                let response = resolve(&doc, response);
                if status.starts_with('4') || status.starts_with('5') {
                    let content =
                        &response["content"]["application/problem+json"]["schema"]["$ref"];
                    assert_eq!(
                        content, "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
            if op.get("security").is_some() {
                assert!(
                    responses.contains_key("401"),
                    "{method} {path}: protected but no 401"
                );
            }
        }
    }
}

/// A response, or the shared one a `$ref` names (`#/components/responses/…`).
fn resolve<'a>(
    doc: &'a serde_json::Value,
    response: &'a serde_json::Value,
) -> &'a serde_json::Value {
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/responses/")
                .unwrap_or_else(|| panic!("{reference} is not a shared response"));
            let shared = &doc["components"]["responses"][name];
            assert!(shared.is_object(), "{reference} is not declared");
            shared
        }
        None => response,
    }
}

/// Every response (2xx too) declares the `x-request-id` header, and the problems whose meaning
/// does not depend on the operation are the shared declarations, not written per operation.
#[test]
fn every_response_declares_the_request_id_and_common_problems_are_shared() {
    let doc = serde_json::to_value(ruad::api::openapi()).unwrap();
    assert_eq!(
        doc["components"]["schemas"]["Problem"]["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| *f == "request_id")
            .count(),
        1
    );
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            for (status, response) in responses {
                assert_eq!(
                    resolve(&doc, response)["headers"]["x-request-id"]["$ref"],
                    "#/components/headers/RequestId",
                    "{method} {path} {status}"
                );
                if ["400", "401", "408", "500", "503"].contains(&status.as_str()) {
                    assert!(
                        response["$ref"].is_string(),
                        "{method} {path} {status}: not the shared response"
                    );
                }
            }
            if path.starts_with("/api/v1/") {
                for status in ["400", "500", "503"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path}: no {status}"
                    );
                }
            }
        }
    }
}

/// SDKs page every list alike: `limit` and `cursor` in, `items` and `next_cursor` out.
#[test]
fn every_list_operation_pages_the_same_way() {
    let doc = serde_json::to_value(ruad::api::openapi()).unwrap();
    // The latest check of each kind is a fixed, small set: one page, never a cursor.
    let single_page = ["list_domain_dns_checks"];
    let mut lists = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            if !id.starts_with("list_") {
                continue;
            }
            lists += 1;
            let schema = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no named 200 schema"));
            let name = schema.rsplit('/').next().unwrap();
            let props = &doc["components"]["schemas"][name]["properties"];
            assert!(
                props["items"]["type"] == "array",
                "{id}: {name} has no items array"
            );
            assert!(
                props["next_cursor"].is_object(),
                "{id}: {name} has no next_cursor"
            );
            if single_page.contains(&id) {
                continue;
            }
            let params: Vec<(&str, &str)> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
                        .collect()
                })
                .unwrap_or_default();
            for wanted in ["limit", "cursor"] {
                assert!(
                    params.contains(&(wanted, "query")),
                    "{id}: no {wanted} query parameter"
                );
            }
        }
    }
    assert!(lists >= 5, "only {lists} list operations");
}

/// Generators name a class after each schema; an inline object would get a made-up name
/// (`DmarcByResultResponseDisposition`), and bytes must be a binary string, not `int[]`.
#[test]
fn every_object_schema_is_named_and_bytes_are_binary() {
    fn walk(node: &serde_json::Value, at: &str, in_all_of: bool) {
        match node {
            serde_json::Value::Object(map) => {
                let is_object = map.get("type") == Some(&serde_json::json!("object"))
                    || map.get("properties").is_some();
                let typed_map = map
                    .get("additionalProperties")
                    .is_some_and(|a| a.is_object() && !a.as_object().unwrap().is_empty());
                assert!(
                    !(is_object && (map.contains_key("properties") || typed_map)) || in_all_of,
                    "{at}: inline object schema; make it a named ToSchema type"
                );
                assert!(
                    !(map.get("type") == Some(&serde_json::json!("array"))
                        && map["items"]["format"] == "int32"
                        && map["items"]["minimum"] == 0),
                    "{at}: bytes as an integer array; use a binary string (ReportFile)"
                );
                for (k, v) in map {
                    walk(v, &format!("{at}/{k}"), k == "allOf");
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}/{i}"), in_all_of);
                }
            }
            _ => {}
        }
    }
    let doc = serde_json::to_value(ruad::api::openapi()).unwrap();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        // The schema itself is named; what it contains must be too.
        for (k, v) in schema.as_object().unwrap() {
            walk(v, &format!("#/components/schemas/{name}/{k}"), k == "allOf");
        }
    }
    walk(&doc["paths"], "#/paths", false);
}
