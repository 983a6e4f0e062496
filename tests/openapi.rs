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
