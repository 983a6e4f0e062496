//! The MCP front door: `/mcp` (streamable HTTP) behind the API's authentication, in the
//! caller's tenant scope, answering what the REST API answers; and `ruad mcp` (stdio). Data
//! comes in through the real upload API. The reference Python SDK (PyPI `mcp`,
//! `tests/mcp/client.py`) drives both transports as a real agent would; it is skipped with a
//! notice when `python3 -c 'import mcp'` fails, unless `TEST_REQUIRE_MCP=1` (as `.ci/run`
//! sets).

use crate::helpers::{JWT_SECRET, TestApp, fixture, into_reply, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The fixture report is about foo-bar.io, on 2024-03-06.
const DOMAIN: &str = "foo-bar.io";
const FROM: &str = "2024-03-01";
const TO: &str = "2024-03-31";

/// Two sibling tenants under the root, A holding `DOMAIN` with one report; their keys.
async fn two_tenants(app: &TestApp) -> (String, String) {
    let (_, a_key) = app.child_tenant("a").await;
    let (_, b_key) = app.child_tenant("b").await;
    let domain = app
        .post("/api/v1/domains", &a_key, json!({ "name": DOMAIN }))
        .await;
    assert_eq!(domain.status, StatusCode::CREATED, "{:?}", domain.body);
    let upload = app
        .upload(&a_key, fixture("001-rfc7489-google.xml"), "application/xml")
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{:?}", upload.body);
    (a_key, b_key)
}

/// One JSON-RPC message POSTed to `/mcp`; the status and the JSON answer (Null when none).
async fn rpc(app: &TestApp, key: Option<&str>, message: Value) -> (StatusCode, String, Value) {
    let mut request = app
        .client
        .post(format!("{}/mcp", app.address))
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-06-18")
        .json(&message);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let reply = into_reply(request.send().await.expect("request")).await;
    (reply.status, reply.content_type, reply.body)
}

/// `tools/call` over HTTP; the call's result.
async fn call(app: &TestApp, key: &str, name: &str, arguments: Value) -> Value {
    let (status, _, body) = rpc(
        app,
        Some(key),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
               "params": {"name": name, "arguments": arguments}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    body["result"].clone()
}

#[actix_web::test]
async fn mcp_over_http_needs_the_api_credentials_and_answers_401_problems_without() {
    let app = spawn_app().await;
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"}}});
    for key in [None, Some("ruad_not-a-key"), Some("not.a.jwt")] {
        let (status, content_type, body) = rpc(&app, key, initialize.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{key:?}: {body:?}");
        assert_eq!(content_type, "application/problem+json");
        assert_eq!(body["code"], "unauthenticated");
    }
    // A JWT from the token exchange is a credential here too.
    let token = app
        .post("/api/v1/auth/token", &app.admin_key, json!({}))
        .await;
    let jwt = token.body["token"].as_str().unwrap().to_string();
    let (status, _, body) = rpc(&app, Some(&jwt), initialize).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    // Stateless: no server-sent event stream to open, and no session to end; the credential
    // is checked before that too.
    for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let anonymous = app.send(method.clone(), "/mcp", None, None).await;
        anonymous.assert_problem(401, "unauthenticated");
        let reply = app
            .client
            .request(method.clone(), format!("{}/mcp", app.address))
            .bearer_auth(&app.admin_key)
            .header("accept", "text/event-stream")
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
}

#[actix_web::test]
async fn mcp_over_http_initializes_lists_the_tools_and_answers_what_the_rest_api_answers() {
    let app = spawn_app().await;
    let (a_key, b_key) = two_tenants(&app).await;

    let (status, content_type, body) = rpc(
        &app,
        Some(&a_key),
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    assert_eq!(body["result"]["serverInfo"]["name"], "ruad");
    assert!(
        body["result"]["capabilities"]["tools"].is_object(),
        "{body:?}"
    );
    let (status, _, _) = rpc(
        &app,
        Some(&a_key),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let (status, _, body) = rpc(
        &app,
        Some(&a_key),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let tools = body["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    for expected in [
        "list_domains",
        "get_portfolio",
        "get_dmarc_by_result",
        "get_dmarc_by_source",
        "get_dmarc_by_service",
        "get_enforcement_readiness",
        "get_tls_by_result",
        "get_tls_by_source",
        "get_timeseries",
        "list_domain_issues",
        "list_domain_dns_checks",
        "check_dns",
        "generate_dns_record",
        "query_dmarc",
        "query_tls",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for tool in tools {
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool:?}");
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{tool:?}");
    }
    let by_result = tools
        .iter()
        .find(|t| t["name"] == "get_dmarc_by_result")
        .unwrap();
    assert_eq!(by_result["inputSchema"]["required"], json!(["domain"]));
    // The generators' inputs are the API's own schemas.
    let generate = tools
        .iter()
        .find(|t| t["name"] == "generate_dns_record")
        .unwrap();
    assert!(
        generate["inputSchema"]["$defs"]["DmarcInput"]["properties"]["p"].is_object(),
        "{generate:?}"
    );

    // The same answers as the REST API, built by the same code.
    for (tool, path) in [
        ("get_dmarc_by_result", "dmarc/by-result"),
        ("get_dmarc_by_source", "dmarc/by-source"),
        ("get_dmarc_by_service", "dmarc/by-service"),
        ("get_enforcement_readiness", "enforcement-readiness"),
        ("get_tls_by_result", "tls/by-result"),
    ] {
        let result = call(
            &app,
            &a_key,
            tool,
            json!({"domain": DOMAIN, "from": FROM, "to": TO}),
        )
        .await;
        assert_eq!(result["isError"], false, "{tool}: {result:?}");
        let rest = app
            .get(
                &format!("/api/v1/domains/{DOMAIN}/{path}?from={FROM}&to={TO}"),
                &a_key,
            )
            .await;
        assert_eq!(result["structuredContent"], rest.body, "{tool}");
        // Clients that read text only get the same JSON as text.
        let text: Value =
            serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
        assert_eq!(text, rest.body, "{tool}");
    }
    let by_result = call(
        &app,
        &a_key,
        "get_dmarc_by_result",
        json!({"domain": DOMAIN, "from": FROM, "to": TO}),
    )
    .await;
    assert_eq!(by_result["structuredContent"]["total_messages"], 1);

    // The flexible query: the API's request body as arguments (with its typed schema), the
    // API's answer.
    let query_tool = tools.iter().find(|t| t["name"] == "query_dmarc").unwrap();
    let schema = query_tool["inputSchema"].to_string();
    assert!(
        schema.contains("source_network") && schema.contains("cidr"),
        "{schema}"
    );
    for (tool, path, arguments) in [
        (
            "query_dmarc",
            "/api/v1/query/dmarc",
            json!({"domains": [DOMAIN], "from": FROM, "to": TO,
                   "group_by": ["source_ip", "disposition"], "metrics": ["messages", "dmarc_pass"]}),
        ),
        (
            "query_tls",
            "/api/v1/query/tls",
            json!({"from": FROM, "to": TO, "group_by": ["reporter"]}),
        ),
    ] {
        let result = call(&app, &a_key, tool, arguments.clone()).await;
        assert_eq!(result["isError"], false, "{tool}: {result:?}");
        let rest = app.post(path, &a_key, arguments).await;
        assert_eq!(result["structuredContent"], rest.body, "{tool}");
    }
    let refused = call(
        &app,
        &a_key,
        "query_dmarc",
        json!({"group_by": ["header_from"], "filters": [{"field": "header_from", "op": "cidr", "value": "192.0.2.0/24"}]}),
    )
    .await;
    assert_eq!(refused["isError"], true, "{refused:?}");
    let other = call(&app, &b_key, "query_dmarc", json!({"domains": [DOMAIN]})).await;
    assert_eq!(other["isError"], true, "{other:?}");

    let domains = call(&app, &a_key, "list_domains", json!({})).await;
    let items = domains["structuredContent"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], DOMAIN);
    // Read-only tools hand out no write credential, whatever the key's role.
    assert!(items[0].get("ingest_token").is_none(), "{items:?}");

    let series = call(
        &app,
        &a_key,
        "get_timeseries",
        json!({"domain": DOMAIN, "kind": "dmarc", "from": FROM, "to": TO}),
    )
    .await;
    assert_eq!(
        series["structuredContent"]["points"]
            .as_array()
            .unwrap()
            .len(),
        31
    );
    let portfolio = call(
        &app,
        &a_key,
        "get_portfolio",
        json!({"from": FROM, "to": TO}),
    )
    .await;
    assert_eq!(portfolio["structuredContent"]["total"], 1, "{portfolio:?}");
    let issues = call(
        &app,
        &a_key,
        "list_domain_issues",
        json!({"domain": DOMAIN, "status": "all"}),
    )
    .await;
    assert!(
        issues["structuredContent"]["items"].is_array(),
        "{issues:?}"
    );
    let generated = call(
        &app,
        &a_key,
        "generate_dns_record",
        json!({"kind": "dmarc", "input": {"domain": DOMAIN, "p": "reject"}}),
    )
    .await;
    assert_eq!(generated["isError"], false, "{generated:?}");
    let rest = app
        .post(
            "/api/v1/dns/dmarc/generate",
            &a_key,
            json!({"domain": DOMAIN, "p": "reject"}),
        )
        .await;
    assert_eq!(generated["structuredContent"], rest.body);
}

#[actix_web::test]
async fn mcp_tool_errors_are_tool_results_with_the_api_code_and_a_clear_message() {
    let app = spawn_app().await;
    let (a_key, _) = two_tenants(&app).await;
    let cases = [
        (
            "get_dmarc_by_result",
            json!({"domain": "nowhere.example"}),
            "not_found",
            "nowhere.example",
        ),
        (
            "get_dmarc_by_source",
            json!({"domain": DOMAIN, "from": "2024-3-1"}),
            "bad_request",
            "YYYY-MM-DD",
        ),
        (
            "get_dmarc_by_result",
            json!({"domain": DOMAIN, "from": TO, "to": FROM}),
            "bad_request",
            "from must not be after to",
        ),
        (
            "get_dmarc_by_source",
            json!({"domain": DOMAIN, "limit": 0}),
            "bad_request",
            "limit",
        ),
        (
            "get_timeseries",
            json!({"domain": DOMAIN, "kind": "spf"}),
            "bad_request",
            "unknown kind",
        ),
        (
            "list_domain_issues",
            json!({"domain": DOMAIN, "severity": "urgent"}),
            "bad_request",
            "urgent",
        ),
        (
            "check_dns",
            json!({"kind": "dkim", "domain": DOMAIN}),
            "validation_failed",
            "selector",
        ),
        (
            "generate_dns_record",
            json!({"kind": "dmarc", "input": {"domain": DOMAIN}}),
            "bad_request",
            "missing field p",
        ),
        (
            "generate_dns_record",
            json!({"kind": "cname", "input": {}}),
            "bad_request",
            "unknown record kind",
        ),
    ];
    for (tool, arguments, code, words) in cases {
        let result = call(&app, &a_key, tool, arguments.clone()).await;
        assert_eq!(result["isError"], true, "{tool} {arguments}: {result:?}");
        assert_eq!(
            result["structuredContent"]["code"], code,
            "{tool} {arguments}: {result:?}"
        );
        let detail = result["structuredContent"]["detail"].as_str().unwrap();
        assert!(detail.contains(words), "{tool} {arguments}: {detail}");
    }
}

#[actix_web::test]
async fn mcp_answers_in_the_callers_tenant_scope_only() {
    let app = spawn_app().await;
    let (a_key, b_key) = two_tenants(&app).await;
    // B sees none of A's domains: the domain it names is not found, as it would be in a
    // tenant where nobody registered it.
    let domains = call(&app, &b_key, "list_domains", json!({})).await;
    assert_eq!(domains["structuredContent"]["items"], json!([]));
    for tool in [
        "get_dmarc_by_result",
        "get_dmarc_by_source",
        "get_dmarc_by_service",
        "get_tls_by_result",
        "get_tls_by_source",
        "list_domain_issues",
        "list_domain_dns_checks",
    ] {
        let theirs = call(&app, &b_key, tool, json!({"domain": DOMAIN})).await;
        let nobodys = call(&app, &b_key, tool, json!({"domain": "nobody.example"})).await;
        assert_eq!(theirs["isError"], true, "{tool}: {theirs:?}");
        assert_eq!(theirs["structuredContent"]["code"], "not_found", "{tool}");
        assert_eq!(
            theirs["structuredContent"]["detail"]
                .as_str()
                .unwrap()
                .replace(DOMAIN, "X"),
            nobodys["structuredContent"]["detail"]
                .as_str()
                .unwrap()
                .replace("nobody.example", "X"),
            "{tool}"
        );
        // As in the REST API.
        let rest = app
            .get(&format!("/api/v1/domains/{DOMAIN}/dmarc/by-result"), &b_key)
            .await;
        rest.assert_problem(404, "not_found");
    }
    let portfolio = call(&app, &b_key, "get_portfolio", json!({})).await;
    assert_eq!(portfolio["structuredContent"]["total"], 0);
    // A sees its own.
    let mine = call(
        &app,
        &a_key,
        "get_dmarc_by_result",
        json!({"domain": DOMAIN}),
    )
    .await;
    assert_eq!(mine["isError"], false, "{mine:?}");
}

/// Whether the reference Python SDK is importable; without it the test is skipped with a
/// notice, unless `TEST_REQUIRE_MCP=1`.
fn python_mcp() -> bool {
    let found = std::process::Command::new("python3")
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("TEST_REQUIRE_MCP").as_deref() != Ok("1"),
            "TEST_REQUIRE_MCP=1 but the Python MCP SDK is not installed (pip install mcp)"
        );
        eprintln!("skipped: the Python MCP SDK is not installed (pip install mcp)");
    }
    found
}

/// Runs `tests/mcp/client.py` with `args` and `env`; its JSON report.
async fn python_client(args: Vec<String>, env: Vec<(&'static str, String)>) -> Value {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp/client.py");
    let mut command = std::process::Command::new("python3");
    command.arg(script).args(&args).envs(env);
    // The server under test runs on this thread's runtime: wait for the client elsewhere.
    let output = tokio::task::spawn_blocking(move || command.output());
    let output = tokio::time::timeout(std::time::Duration::from_secs(90), output)
        .await
        .expect("the Python MCP client finished within 90 s")
        .expect("the waiting task")
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "client.py {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "client.py printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// What the client saw, checked the same way for both transports.
fn check_client_report(report: &Value, transport: &str) {
    assert_eq!(report["server"], "ruad", "{transport}");
    let tools = report["tools"].as_object().unwrap();
    assert!(tools.len() >= 13, "{transport}: {:?}", tools.keys());
    let by_source = &tools["get_dmarc_by_source"];
    assert_eq!(by_source["required"], json!(["domain"]), "{transport}");
    assert!(
        by_source["properties"]["limit"].is_object(),
        "{transport}: {by_source:?}"
    );
    let calls = report["calls"].as_array().unwrap();
    let by_name = |i: usize| &calls[i];
    // list_domains
    assert_eq!(
        by_name(0)["is_error"],
        false,
        "{transport}: {:?}",
        by_name(0)
    );
    assert_eq!(by_name(0)["structured"]["items"][0]["name"], DOMAIN);
    // get_dmarc_by_result
    assert_eq!(by_name(1)["structured"]["total_messages"], 1, "{transport}");
    // get_dmarc_by_source
    assert_eq!(
        by_name(2)["structured"]["sources"][0]["source_ip"],
        "1.2.3.4",
        "{transport}"
    );
    // list_domain_issues
    assert!(by_name(3)["structured"]["items"].is_array(), "{transport}");
    // generate_dns_record
    assert_eq!(
        by_name(4)["is_error"],
        false,
        "{transport}: {:?}",
        by_name(4)
    );
    // an unknown domain, a bad date: tool errors with a message
    for i in [5, 6] {
        assert_eq!(
            by_name(i)["is_error"],
            true,
            "{transport}: {:?}",
            by_name(i)
        );
        assert!(
            !by_name(i)["text"][0]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{transport}"
        );
    }
    assert_eq!(by_name(5)["structured"]["code"], "not_found");
    assert_eq!(by_name(6)["structured"]["code"], "bad_request");
    // query_dmarc
    let query = &by_name(7)["structured"];
    assert_eq!(query["answered_from"], "rollups", "{transport}: {query:?}");
    assert_eq!(
        query["groups"][0]["key"]["source_ip"], "1.2.3.4",
        "{transport}"
    );
    assert!(
        tools["query_dmarc"]["properties"]["group_by"].is_object(),
        "{transport}"
    );
}

#[actix_web::test]
async fn the_reference_python_mcp_client_lists_and_calls_tools_over_http_and_stdio() {
    if !python_mcp() {
        return;
    }
    let app = spawn_app().await;
    let (a_key, _) = two_tenants(&app).await;

    let report = python_client(
        vec![
            "http".into(),
            format!("{}/mcp", app.address),
            a_key.clone(),
            DOMAIN.into(),
            FROM.into(),
            TO.into(),
        ],
        vec![],
    )
    .await;
    check_client_report(&report, "http");

    let report = python_client(
        vec![
            "stdio".into(),
            env!("CARGO_BIN_EXE_ruad").into(),
            DOMAIN.into(),
            FROM.into(),
            TO.into(),
        ],
        vec![
            ("RUAD_DATABASE_URL", app.database_url.clone()),
            ("RUAD_MCP_API_KEY", a_key.clone()),
            ("RUAD_JWT_SECRET", JWT_SECRET.to_string()),
            // No DNS leaves the machine in tests.
            ("RUAD_DNS_NAMESERVERS", "127.0.0.1:1".into()),
            ("RUAD_DNS_TIMEOUT_MS", "300".into()),
        ],
    )
    .await;
    check_client_report(&report, "stdio");
}

#[test]
fn ruad_mcp_without_a_valid_key_exits_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruad.db").display());
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_ruad"))
        .arg("mcp")
        .env("RUAD_DATABASE_URL", &db)
        .env_remove("RUAD_MCP_API_KEY")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--api-key"));
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_ruad"))
        .args(["mcp", "--api-key", "ruad_nope"])
        .env("RUAD_DATABASE_URL", &db)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("the API key was refused"), "{stderr}");
    assert!(refused.stdout.is_empty(), "stdout is the protocol's only");
}
