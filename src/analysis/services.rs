//! Which sending service is behind a source of DMARC traffic.
//!
//! A DMARC aggregate record says an IP sent mail with a `From` domain, and which DKIM
//! domains (`d=`) and SPF domain (envelope sender) it was checked against. This module names
//! the service behind it from three kinds of evidence, strongest first:
//!
//! 1. **A forward-confirmed PTR name** of the IP ([`ConfirmedName`]): the name resolves back
//!    to the address, so whoever controls that DNS zone operates the IP. It is the strongest
//!    evidence of who runs the server, and it cannot be claimed by a third party. Unconfirmed
//!    PTR names are never evidence: anyone who controls an IP's reverse zone can publish any
//!    name, e.g. `mail.google.com`. [`ConfirmedName`] can only be made from an FCrDNS check
//!    report, so an unconfirmed name cannot be passed by mistake.
//! 2. **A DKIM signing domain** (`d=`): a valid signature proves the holder of that domain's
//!    key signed, so a `d=` of the service's domain proves the service signed (it says less
//!    about who runs the IP: a message may be relayed).
//! 3. **An SPF domain** (the envelope sender, `MAIL FROM`): weakest, because it is only a
//!    name the sender chose, and the SPF result in a report may well be a fail.
//!
//! A consequence of that order: a mailing list or forwarder that runs on a provider's own
//! servers (Google Groups on Google's) is named after the provider when the source's PTR
//! name is confirmed, because the PTR names who operates the IP; the list is named only from
//! its DKIM or SPF domain when no confirmed PTR name matches.
//!
//! Matching is by domain and subdomain (`mail.sendgrid.net` matches `sendgrid.net`),
//! lower-case, with trailing dots ignored, and never by substring (`evilsendgrid.net` does not
//! match). When a domain and one of its subdomains belong to different services, the most
//! specific one wins.
//!
//! The table is `services.toml` beside this file: curated by hand, versioned by date
//! ([`TABLE_VERSION`]), embedded at compile time and parsed once. Its tests check every entry.

use crate::dns::checks::{CheckKind, CheckReport};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The version (date of the last change) of the embedded table; equal to the `version` in
/// `services.toml` (a test checks it).
pub const TABLE_VERSION: &str = "2026-11-27";

/// The embedded table (TOML).
const TABLE_SOURCE: &str = include_str!("services.toml");

/// What kind of service it is. Hosting providers are generic infrastructure, not a service
/// sending on the customer's behalf: the customer (or a vendor of theirs) runs the mail
/// server there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Mailboxes for people: Google Workspace, Microsoft 365, Fastmail...
    EmailProvider,
    /// Newsletters and campaigns.
    Marketing,
    /// Application mail through an API or SMTP relay.
    Transactional,
    Crm,
    /// Helpdesks.
    Support,
    /// Filtering gateways that relay the customer's own outbound mail.
    SecurityGateway,
    /// Re-send mail written by others: mailing lists, forwarding and alias services.
    ForwarderMailingList,
    /// Servers and VMs rented out; whoever rents them sends.
    Hosting,
    Other,
}

/// One sending service of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable snake_case identifier, e.g. `google_workspace`.
    pub id: String,
    /// Display name, e.g. `Google Workspace / Gmail`.
    pub name: String,
    pub category: Category,
    /// Domains its outbound servers are named under (matched against a confirmed PTR name).
    pub domains: Vec<String>,
    /// DKIM signing domains (`d=`) it uses.
    pub dkim_domains: Vec<String>,
    /// SPF / envelope-from (`MAIL FROM`) domains it uses.
    pub spf_domains: Vec<String>,
    /// How to get DKIM aligned with your own domain when sending through it (one sentence).
    pub dkim_advice: String,
    /// How to get SPF aligned (or why it cannot be), one sentence.
    pub spf_advice: String,
}

/// Which kind of evidence named the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// A forward-confirmed PTR name of the source IP.
    PtrName,
    /// A DKIM signing domain (`d=`).
    DkimDomain,
    /// An SPF domain / envelope sender.
    SpfDomain,
}

/// The service behind a source, and the evidence that named it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ServiceMatch {
    /// [`Service::id`].
    pub id: String,
    /// [`Service::name`].
    pub name: String,
    pub category: Category,
    pub matched_by: MatchedBy,
    /// The evidence that matched, normalized (lower-case, no trailing dot): the confirmed PTR
    /// name, the DKIM domain or the SPF domain.
    pub matched_value: String,
}

/// A PTR name of an IP that resolves back to that IP (forward-confirmed reverse DNS,
/// RFC 8601 §3 `iprev`). Only made from an FCrDNS check report, so an unconfirmed name
/// cannot be passed as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedName(String);

impl ConfirmedName {
    /// The confirmed name of an FCrDNS check report (`details.confirmed_name`, set only when
    /// a PTR name resolves back to the address), e.g. a stored snapshot deserialized. `None`
    /// for another kind of report, an unconfirmed address, or a name that is not a domain
    /// name.
    pub fn from_fcrdns(report: &CheckReport) -> Option<ConfirmedName> {
        if report.kind != CheckKind::Fcrdns {
            return None;
        }
        let name = report.details.get("confirmed_name")?.as_str()?;
        normalize(name).map(ConfirmedName)
    }

    /// A name that ruad's enrichment worker stored as forward-confirmed
    /// (`source_names.confirmed_name`, written only from a confirming FCrDNS lookup). Never
    /// call this with a bare PTR name.
    pub fn from_stored_confirmation(name: &str) -> Option<ConfirmedName> {
        normalize(name).map(ConfirmedName)
    }

    /// The name, lower-case, without trailing dot.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its organizational domain by the public suffix list (the name itself when the list
    /// knows none).
    pub fn org_domain(&self) -> &str {
        psl::domain_str(&self.0).unwrap_or(&self.0)
    }
}

/// What is known about one source of DMARC traffic.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The forward-confirmed PTR name of the source IP, if any. Never an unconfirmed name:
    /// see [`ConfirmedName`].
    pub confirmed_ptr_name: Option<&'a ConfirmedName>,
    /// DKIM `d=` domains seen in the records' auth results, in order of preference.
    pub dkim_domains: &'a [&'a str],
    /// SPF domains / envelope senders seen in the records, in order of preference.
    pub spf_domains: &'a [&'a str],
}

/// The service behind `evidence`: by confirmed PTR name first, then by DKIM domain, then by
/// SPF domain (see the module documentation for why); within one kind, the first value (in
/// the evidence's order) that matches. `None` when nothing matches.
pub fn classify(evidence: &Evidence) -> Option<ServiceMatch> {
    TABLE.classify(evidence)
}

/// The service with this id.
pub fn service(id: &str) -> Option<&'static Service> {
    TABLE.services.iter().find(|s| s.id == id)
}

/// Every service of the table, in table order.
pub fn all() -> &'static [Service] {
    &TABLE.services
}

/// The table file as parsed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    /// Read only by the test that compares it with [`TABLE_VERSION`] (a `const` cannot be
    /// parsed from the file).
    #[cfg_attr(not(test), expect(dead_code))]
    version: String,
    service: Vec<Service>,
}

fn parse_table(source: &str) -> Result<TableFile, toml::de::Error> {
    toml::from_str(source)
}

/// The embedded table, parsed once. It is a compile-time constant that a test parses and
/// validates, so the empty fallback for a parse error cannot happen in a tested build.
static TABLE: LazyLock<Table> = LazyLock::new(|| {
    Table::new(
        parse_table(TABLE_SOURCE)
            .map(|t| t.service)
            .unwrap_or_default(),
    )
});

/// The services, and for each kind of evidence the index domain -> service.
struct Table {
    services: Vec<Service>,
    ptr: HashMap<String, usize>,
    dkim: HashMap<String, usize>,
    spf: HashMap<String, usize>,
}

impl Table {
    fn new(services: Vec<Service>) -> Table {
        fn index(
            services: &[Service],
            domains: fn(&Service) -> &[String],
        ) -> HashMap<String, usize> {
            let mut map = HashMap::new();
            for (i, s) in services.iter().enumerate() {
                for d in domains(s) {
                    if let Some(d) = normalize(d) {
                        // A duplicate is a table error (a test forbids it); the first one wins.
                        map.entry(d).or_insert(i);
                    }
                }
            }
            map
        }
        Table {
            ptr: index(&services, |s| &s.domains),
            dkim: index(&services, |s| &s.dkim_domains),
            spf: index(&services, |s| &s.spf_domains),
            services,
        }
    }

    fn classify(&self, evidence: &Evidence) -> Option<ServiceMatch> {
        let ptr = evidence
            .confirmed_ptr_name
            .into_iter()
            .map(ConfirmedName::as_str);
        self.first(&self.ptr, ptr, MatchedBy::PtrName)
            .or_else(|| {
                let dkim = evidence.dkim_domains.iter().copied();
                self.first(&self.dkim, dkim, MatchedBy::DkimDomain)
            })
            .or_else(|| {
                let spf = evidence.spf_domains.iter().copied();
                self.first(&self.spf, spf, MatchedBy::SpfDomain)
            })
    }

    /// The first of `values` that is (a subdomain of) a domain of `index`.
    fn first<'v>(
        &self,
        index: &HashMap<String, usize>,
        values: impl Iterator<Item = &'v str>,
        matched_by: MatchedBy,
    ) -> Option<ServiceMatch> {
        values.filter_map(normalize).find_map(|value| {
            let service = self.services.get(lookup(index, &value)?)?;
            Some(ServiceMatch {
                id: service.id.clone(),
                name: service.name.clone(),
                category: service.category,
                matched_by,
                matched_value: value,
            })
        })
    }
}

/// The service of the most specific domain of `index` that `name` equals or is a subdomain
/// of: `name` itself, then each parent (`a.b.example` → `b.example` → `example`). Whole
/// labels only, so `evilsendgrid.net` never reaches `sendgrid.net`.
fn lookup(index: &HashMap<String, usize>, name: &str) -> Option<usize> {
    let mut candidate = name;
    loop {
        if let Some(&i) = index.get(candidate) {
            return Some(i);
        }
        candidate = &candidate[candidate.find('.')? + 1..];
    }
}

/// `name` trimmed, lower-case, without trailing dots; `None` when that is empty or has an
/// empty label (`a..b`, `.a`).
fn normalize(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() || name.split('.').any(str::is_empty) {
        None
    } else {
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::HashSet;

    /// A stored FCrDNS report as `dns::checks::fcrdns` writes it.
    fn fcrdns_report(confirmed_name: Option<&str>) -> CheckReport {
        CheckReport {
            kind: CheckKind::Fcrdns,
            subject: "192.0.2.1".into(),
            name: "1.2.0.192.in-addr.arpa".into(),
            records: confirmed_name.iter().map(|n| n.to_string()).collect(),
            parsed: None,
            details: serde_json::json!({ "names": [], "confirmed_name": confirmed_name }),
            findings: Vec::new(),
            queries: Vec::new(),
        }
    }

    fn confirmed(name: &str) -> ConfirmedName {
        ConfirmedName::from_fcrdns(&fcrdns_report(Some(name))).unwrap()
    }

    fn by_dkim(domains: &[&str]) -> Option<ServiceMatch> {
        classify(&Evidence {
            dkim_domains: domains,
            ..Evidence::default()
        })
    }

    fn id(m: Option<ServiceMatch>) -> Option<String> {
        m.map(|m| m.id)
    }

    // --- The table ---------------------------------------------------------------------

    const CATEGORIES: [&str; 9] = [
        "email_provider",
        "marketing",
        "transactional",
        "crm",
        "support",
        "security_gateway",
        "forwarder_mailing_list",
        "hosting",
        "other",
    ];

    fn is_snake_case(id: &str) -> bool {
        !id.is_empty()
            && id.starts_with(|c: char| c.is_ascii_lowercase())
            && !id.ends_with('_')
            && !id.contains("__")
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    /// Lower-case LDH labels, at least two, no trailing dot, and a registrable domain (or a
    /// subdomain of one) by the public suffix list, never a public suffix itself.
    fn is_valid_domain(d: &str) -> bool {
        let labels: Vec<&str> = d.split('.').collect();
        labels.len() >= 2
            && d.len() <= 253
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
            && psl::domain_str(d).is_some()
    }

    fn is_one_sentence(s: &str) -> bool {
        let s = s.trim().replace("e.g. ", "e.g.\u{a0}");
        s.len() >= 20
            && s.starts_with(|c: char| c.is_uppercase())
            && s.ends_with('.')
            && !s[..s.len() - 1].contains(". ")
    }

    #[test]
    fn the_embedded_table_parses_and_its_version_is_table_version() {
        // Arrange / Act
        let table = parse_table(TABLE_SOURCE);

        // Assert
        let table = table.expect("services.toml must parse");
        assert_eq!(table.version, TABLE_VERSION);
        assert_eq!(all().len(), table.service.len());
    }

    #[test]
    fn the_table_has_at_least_sixty_services() {
        assert!(all().len() >= 60, "only {} services", all().len());
    }

    #[test]
    fn every_service_has_a_unique_snake_case_id_a_name_and_a_known_category() {
        // Arrange
        let mut ids = HashSet::new();

        for s in all() {
            // Act
            let category = serde_json::to_value(s.category).unwrap();

            // Assert
            assert!(is_snake_case(&s.id), "{}: id is not snake_case", s.id);
            assert!(ids.insert(s.id.as_str()), "{}: duplicate id", s.id);
            assert!(!s.name.trim().is_empty(), "{}: empty name", s.id);
            assert!(
                CATEGORIES.contains(&category.as_str().unwrap()),
                "{}: category {category}",
                s.id
            );
        }
    }

    #[test]
    fn every_domain_is_valid_and_claimed_by_at_most_one_service() {
        // Arrange
        let mut owner: HashMap<&str, &str> = HashMap::new();

        for s in all() {
            let mine: HashSet<&str> = s
                .domains
                .iter()
                .chain(&s.dkim_domains)
                .chain(&s.spf_domains)
                .map(String::as_str)
                .collect();
            for list in [&s.domains, &s.dkim_domains, &s.spf_domains] {
                let unique: HashSet<&String> = list.iter().collect();
                assert_eq!(unique.len(), list.len(), "{}: domain listed twice", s.id);
            }
            for d in mine {
                // Act
                let previous = owner.insert(d, &s.id);

                // Assert
                assert!(is_valid_domain(d), "{}: invalid domain '{d}'", s.id);
                assert_eq!(previous, None, "'{d}' claimed by {previous:?} and {}", s.id);
            }
        }
    }

    #[test]
    fn every_service_can_be_recognized_and_has_one_sentence_of_advice_for_dkim_and_spf() {
        for s in all() {
            assert!(
                !(s.domains.is_empty() && s.dkim_domains.is_empty() && s.spf_domains.is_empty()),
                "{}: no domain at all, it can never match",
                s.id
            );
            assert!(is_one_sentence(&s.dkim_advice), "{}: dkim_advice", s.id);
            assert!(is_one_sentence(&s.spf_advice), "{}: spf_advice", s.id);
        }
    }

    #[test]
    fn the_services_the_analysis_issue_names_are_in_the_table() {
        let required = [
            "google_workspace",
            "microsoft_365",
            "amazon_ses",
            "sendgrid",
            "mailchimp",
            "mandrill",
            "mailgun",
            "postmark",
            "sparkpost",
            "salesforce",
            "salesforce_marketing_cloud",
            "zendesk",
            "hubspot",
            "freshdesk",
            "intercom",
            "klaviyo",
            "brevo",
            "constant_contact",
            "campaign_monitor",
            "zoho_mail",
            "yahoo",
            "apple_icloud",
            "fastmail",
            "proofpoint",
            "mimecast",
            "barracuda",
            "cisco_secure_email",
            "google_groups",
            "mailjet",
            "elastic_email",
            "socketlabs",
            "customer_io",
            "marketo",
            "oracle_eloqua",
            "oracle_responsys",
            "adobe_campaign",
            "shopify",
            "atlassian",
            "github",
            "slack",
            "docusign",
            "zoom",
            "stripe",
            "paypal",
            "hetzner",
            "ovh",
            "digitalocean",
            "aws_ec2",
        ];
        for id in required {
            assert!(service(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn service_finds_an_entry_by_id_and_nothing_for_an_unknown_id() {
        assert_eq!(service("sendgrid").unwrap().name, "Twilio SendGrid");
        assert_eq!(service("no_such_service"), None);
    }

    // --- Evidence ----------------------------------------------------------------------

    #[test]
    fn a_confirmed_name_comes_only_from_an_fcrdns_report_that_confirmed_one() {
        // Arrange
        let unconfirmed = fcrdns_report(None);
        let mut other_kind = fcrdns_report(Some("o1.ptr1.sendgrid.net"));
        other_kind.kind = CheckKind::Dmarc;

        // Act / Assert
        assert_eq!(ConfirmedName::from_fcrdns(&unconfirmed), None);
        assert_eq!(ConfirmedName::from_fcrdns(&other_kind), None);
        let name = confirmed("O1.PTR1.SendGrid.net.");
        assert_eq!(name.as_str(), "o1.ptr1.sendgrid.net");
        assert_eq!(name.org_domain(), "sendgrid.net");
    }

    #[test]
    fn a_name_confirmed_by_the_fcrdns_check_is_evidence() {
        // Arrange
        let resolver = crate::dns::Resolver::fixed(
            crate::dns::StaticZone::new()
                .ptr("192.0.2.25", "o1.ptr1234.sendgrid.net")
                .ip("o1.ptr1234.sendgrid.net", "192.0.2.25"),
        );
        let report = crate::dns::block_on(crate::dns::checks::fcrdns(
            &resolver,
            "192.0.2.25".parse().unwrap(),
        ));
        let name = ConfirmedName::from_fcrdns(&report).unwrap();

        // Act
        let m = classify(&Evidence {
            confirmed_ptr_name: Some(&name),
            ..Evidence::default()
        });

        // Assert
        assert_eq!(id(m), Some("sendgrid".into()));
    }

    // --- Precedence --------------------------------------------------------------------

    #[test]
    fn a_confirmed_ptr_name_wins_over_dkim_and_spf_domains() {
        // Arrange
        let ptr = confirmed("a8-1.smtp-out.amazonses.com");
        let evidence = Evidence {
            confirmed_ptr_name: Some(&ptr),
            dkim_domains: &["sendgrid.net"],
            spf_domains: &["mailgun.org"],
        };

        // Act
        let m = classify(&evidence).unwrap();

        // Assert
        assert_eq!(m.id, "amazon_ses");
        assert_eq!(m.matched_by, MatchedBy::PtrName);
        assert_eq!(m.matched_value, "a8-1.smtp-out.amazonses.com");
    }

    #[test]
    fn a_dkim_domain_decides_when_the_confirmed_ptr_name_is_unknown_to_the_table() {
        // Arrange
        let ptr = confirmed("mail.example.org");
        let evidence = Evidence {
            confirmed_ptr_name: Some(&ptr),
            dkim_domains: &["example.org", "sendgrid.net"],
            spf_domains: &["mailgun.org"],
        };

        // Act
        let m = classify(&evidence).unwrap();

        // Assert
        assert_eq!(m.id, "sendgrid");
        assert_eq!(m.matched_by, MatchedBy::DkimDomain);
        assert_eq!(m.matched_value, "sendgrid.net");
    }

    #[test]
    fn a_dkim_domain_wins_over_an_spf_domain() {
        // Arrange
        let evidence = Evidence {
            confirmed_ptr_name: None,
            dkim_domains: &["mandrillapp.com"],
            spf_domains: &["bounces.sendgrid.net"],
        };

        // Act
        let m = classify(&evidence).unwrap();

        // Assert
        assert_eq!(m.id, "mandrill");
        assert_eq!(m.matched_by, MatchedBy::DkimDomain);
    }

    #[test]
    fn an_spf_domain_decides_only_when_nothing_stronger_matches() {
        // Arrange
        let evidence = Evidence {
            confirmed_ptr_name: None,
            dkim_domains: &["example.com"],
            spf_domains: &["example.com", "bounce.s7.exacttarget.com"],
        };

        // Act
        let m = classify(&evidence).unwrap();

        // Assert
        assert_eq!(m.id, "salesforce_marketing_cloud");
        assert_eq!(m.matched_by, MatchedBy::SpfDomain);
        assert_eq!(m.matched_value, "bounce.s7.exacttarget.com");
    }

    #[test]
    fn no_evidence_or_only_unknown_domains_names_no_service() {
        // Arrange
        let ptr = confirmed("mx.example.com");
        let unknown = Evidence {
            confirmed_ptr_name: Some(&ptr),
            dkim_domains: &["example.com"],
            spf_domains: &["example.net"],
        };

        // Act / Assert
        assert_eq!(classify(&Evidence::default()), None);
        assert_eq!(classify(&unknown), None);
    }

    #[test]
    fn each_kind_of_evidence_is_matched_only_against_its_own_list() {
        // Arrange: google.com names Google's servers (PTR) but is not a DKIM domain of the
        // table, and googlegroups.com is a DKIM domain but no PTR domain.
        let ptr = confirmed("lists.googlegroups.com");

        // Act
        let by_ptr = classify(&Evidence {
            confirmed_ptr_name: Some(&ptr),
            ..Evidence::default()
        });
        let by_dkim = by_dkim(&["google.com"]);

        // Assert
        assert_eq!(by_ptr, None);
        assert_eq!(by_dkim, None);
    }

    // --- Matching ----------------------------------------------------------------------

    #[test]
    fn a_subdomain_of_a_service_domain_matches() {
        assert_eq!(id(by_dkim(&["mail.sendgrid.net"])), Some("sendgrid".into()));
        assert_eq!(
            id(by_dkim(&["a.b.c.sendgrid.net"])),
            Some("sendgrid".into())
        );
    }

    #[test]
    fn a_look_alike_domain_does_not_match() {
        assert_eq!(by_dkim(&["evilsendgrid.net"]), None);
        assert_eq!(by_dkim(&["sendgrid.net.evil.example"]), None);
        assert_eq!(by_dkim(&["sendgrid.network"]), None);
        assert_eq!(by_dkim(&["sendgrid"]), None);
    }

    #[test]
    fn case_whitespace_and_trailing_dots_are_ignored() {
        // Act
        let m = by_dkim(&[" Mail.SendGrid.NET.. "]).unwrap();

        // Assert
        assert_eq!(m.id, "sendgrid");
        assert_eq!(m.matched_value, "mail.sendgrid.net");
    }

    #[test]
    fn names_with_empty_labels_are_not_evidence() {
        assert_eq!(by_dkim(&[".sendgrid.net"]), None);
        assert_eq!(by_dkim(&["mail..sendgrid.net"]), None);
        assert_eq!(by_dkim(&["", ".", "  "]), None);
    }

    #[test]
    fn the_most_specific_domain_wins_when_services_nest() {
        // Arrange
        let svc = |id: &str, domain: &str| Service {
            id: id.into(),
            name: id.into(),
            category: Category::Other,
            domains: Vec::new(),
            dkim_domains: vec![domain.into()],
            spf_domains: Vec::new(),
            dkim_advice: String::new(),
            spf_advice: String::new(),
        };
        let table = Table::new(vec![
            svc("parent", "example.com"),
            svc("child", "mail.example.com"),
        ]);
        let classify = |d: &str| {
            table
                .classify(&Evidence {
                    dkim_domains: &[d],
                    ..Evidence::default()
                })
                .map(|m| m.id)
        };

        // Act / Assert
        assert_eq!(classify("x.mail.example.com"), Some("child".into()));
        assert_eq!(classify("mail.example.com"), Some("child".into()));
        assert_eq!(classify("www.example.com"), Some("parent".into()));
    }

    // --- Categories --------------------------------------------------------------------

    #[test]
    fn a_mailing_list_domain_is_classified_as_a_forwarder_or_mailing_list() {
        // Arrange
        let evidence = Evidence {
            confirmed_ptr_name: None,
            dkim_domains: &["googlegroups.com"],
            spf_domains: &["googlegroups.com"],
        };

        // Act
        let m = classify(&evidence).unwrap();

        // Assert
        assert_eq!(m.id, "google_groups");
        assert_eq!(m.category, Category::ForwarderMailingList);
    }

    #[test]
    fn a_mailing_list_on_a_providers_servers_is_named_after_the_provider_when_its_ptr_is_confirmed()
    {
        // Arrange
        let ptr = confirmed("mail-sor-f41.google.com");
        let evidence = Evidence {
            confirmed_ptr_name: Some(&ptr),
            dkim_domains: &["googlegroups.com"],
            spf_domains: &["googlegroups.com"],
        };

        // Act
        let m = classify(&evidence).unwrap();

        // Assert
        assert_eq!(m.id, "google_workspace");
        assert_eq!(m.matched_by, MatchedBy::PtrName);
    }

    #[test]
    fn hosting_providers_are_classified_as_hosting() {
        // Arrange
        let names = [
            ("ec2-198-51-100-7.compute-1.amazonaws.com", "aws_ec2"),
            ("static.7.100.51.198.clients.your-server.de", "hetzner"),
            ("vps-1234abcd.vps.ovh.net", "ovh"),
        ];

        for (name, expected) in names {
            let ptr = confirmed(name);

            // Act
            let m = classify(&Evidence {
                confirmed_ptr_name: Some(&ptr),
                ..Evidence::default()
            })
            .unwrap();

            // Assert
            assert_eq!(m.id, expected, "{name}");
            assert_eq!(m.category, Category::Hosting, "{name}");
        }
        assert_eq!(service("digitalocean").unwrap().category, Category::Hosting);
    }

    #[test]
    fn a_match_serializes_with_snake_case_enums() {
        // Act
        let json = serde_json::to_value(by_dkim(&["googlegroups.com"]).unwrap()).unwrap();

        // Assert
        assert_eq!(
            json,
            serde_json::json!({
                "id": "google_groups",
                "name": "Google Groups",
                "category": "forwarder_mailing_list",
                "matched_by": "dkim_domain",
                "matched_value": "googlegroups.com",
            })
        );
    }

    proptest::proptest! {
        #[test]
        fn classify_never_panics_on_arbitrary_strings(
            ptr in proptest::option::of(".{0,80}"),
            dkim in proptest::collection::vec(".{0,80}", 0..4),
            spf in proptest::collection::vec("[a-zA-Z0-9.\\- ]{0,40}", 0..4),
        ) {
            let name = ptr.and_then(|p| ConfirmedName::from_fcrdns(&fcrdns_report(Some(&p))));
            let dkim: Vec<&str> = dkim.iter().map(String::as_str).collect();
            let spf: Vec<&str> = spf.iter().map(String::as_str).collect();
            let _ = classify(&Evidence {
                confirmed_ptr_name: name.as_ref(),
                dkim_domains: &dkim,
                spf_domains: &spf,
            });
        }
    }
}
