//! Register a domain, upload a report, read its aggregates and issues with the ruad Rust SDK.
use ruad_client::types::{ErrorCode, ReportSummary};
use ruad_client::{Error, authenticated_client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let base_url = std::env::var("RUAD_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .ok_or("usage: quickstart REPORT_FILE [DOMAIN]")?;
    let domain = args.next().unwrap_or_else(|| "example.com".into());

    // Authenticate with an API key (or a JWT from `client.create_token()`).
    let client = authenticated_client(&base_url, &std::env::var("RUAD_KEY")?)?;

    // Register the domain; a second run finds it registered (409 conflict).
    match client
        .create_domain()
        .body_map(|b| b.name(domain.clone()))
        .send()
        .await
    {
        Ok(_) => {}
        Err(Error::ErrorResponse(p)) if p.code == ErrorCode::Conflict => {}
        Err(e) => return Err(e.into()),
    }

    // Upload a report file: DMARC XML, gzip, zip, email or TLS-RPT JSON; the bytes decide.
    let uploaded = client
        .upload_report()
        .body(std::fs::read(&file)?)
        .send()
        .await?;
    for report in &uploaded.reports {
        println!(
            "stored {} report {} (duplicate: {})",
            report.kind, report.id, report.duplicate
        );
    }

    // List the domain's reports, 50 a page, following next_cursor.
    let mut reports: Vec<ReportSummary> = Vec::new();
    let mut cursor = None;
    loop {
        let mut request = client.list_reports().domain(domain.clone()).limit(50);
        if let Some(c) = cursor.take() {
            request = request.cursor(c);
        }
        let page = request.send().await?.into_inner();
        reports.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let from = day(reports.iter().map(|r| r.begin).min().ok_or("no reports")?);
    let to = day(reports.iter().map(|r| r.end).max().ok_or("no reports")?);
    println!("{} reports of {domain} from {from} to {to}", reports.len());

    // Aggregates over those days.
    let dmarc = client
        .get_dmarc_by_result()
        .domain(domain.clone())
        .from(from.clone())
        .to(to.clone())
        .send()
        .await?;
    println!(
        "DMARC: {} messages, {} passed",
        dmarc.total_messages, dmarc.dmarc_pass_messages
    );
    let sources = client
        .get_dmarc_by_source()
        .domain(domain.clone())
        .from(from.clone())
        .to(to.clone())
        .limit(5)
        .send()
        .await?;
    for source in &sources.sources {
        let service = source
            .service
            .as_ref()
            .map_or("unnamed", |s| s.name.as_str());
        println!(
            "  {} ({service}): {} messages",
            source.source_ip, source.messages
        );
    }
    let tls = client
        .get_tls_by_result()
        .domain(domain.clone())
        .from(from)
        .to(to)
        .send()
        .await?;
    println!(
        "TLS: {} successful, {} failed sessions",
        tls.successful_sessions, tls.failed_sessions
    );

    // Evaluate the domain now (ruad also does so in the background after each upload), then
    // list its open issues, most severe first, each with what to do about it.
    client
        .evaluate_domain_issues()
        .domain(domain.clone())
        .send()
        .await?;
    let issues = client
        .list_domain_issues()
        .domain(domain.clone())
        .limit(50)
        .send()
        .await?;
    println!("{} open issues of {domain}", issues.items.len());
    for issue in &issues.items {
        println!(
            "  [{}] {}\n    fix: {}",
            issue.severity, issue.title, issue.remediation
        );
    }
    Ok(())
}

/// Unix time to its UTC day, `YYYY-MM-DD` (days to civil date, as in Hinnant's algorithm).
fn day(epoch: i64) -> String {
    let z = epoch.div_euclid(86_400) + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let (d, m) = (
        doy - (153 * mp + 2) / 5 + 1,
        if mp < 10 { mp + 3 } else { mp - 9 },
    );
    format!("{:04}-{m:02}-{d:02}", yoe + era * 400 + i64::from(m <= 2))
}
