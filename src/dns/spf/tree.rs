//! The resolved include/redirect tree of a domain's SPF record, for the checker: every record
//! a receiver may reach, with its lookup and void-lookup counts and findings, known without a
//! client IP (§4.6.4, §5.2, §6.1). Bounded by node and query caps.

use super::check_host::is_valid_domain;
use super::{
    BoxFuture, Directive, MAX_DEPTH, MAX_DNS_LOOKUPS, MAX_MX_NAMES, MAX_VOID_LOOKUPS, Mechanism,
    normalize, parse, select,
};
use crate::dns::{Finding, Resolver};
use serde::{Deserialize, Serialize};

/// Tree walk caps, so a hostile record cannot make the checker issue unbounded queries.
const MAX_TREE_NODES: usize = 64;
const MAX_TREE_QUERIES: usize = 256;

/// One record in the include/redirect tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpfNode {
    pub domain: String,
    /// How the parent reached it: `include` or `redirect`; `None` for the root.
    pub via: Option<String>,
    /// The SPF record text, or `None` when there is none (or it could not be fetched).
    pub record: Option<String>,
    /// DNS-querying terms in this record (§4.6.4).
    pub lookups_here: u32,
    /// This record's terms plus those of every record below it.
    pub lookups_total: u32,
    /// Void lookups this record's own terms cause, as far as known without a client IP.
    pub void_lookups: u32,
    #[schema(no_recursion)]
    pub children: Vec<SpfNode>,
    /// Findings about this record alone.
    pub findings: Vec<Finding>,
}

/// A domain's SPF record with everything it includes or redirects to, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpfTree {
    pub root: SpfNode,
    /// DNS-querying terms an evaluation that reaches every term performs.
    pub lookups_total: u32,
    pub void_lookups_total: u32,
    /// Whether the walk stopped early (too deep, too many records or queries).
    pub truncated: bool,
    /// Every finding of every node (nested ones prefixed with their domain), plus the
    /// limits checked over the whole tree.
    pub findings: Vec<Finding>,
}

/// How a node's lookup went, for the parent's findings.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NodeStatus {
    Record,
    /// No SPF record; `void`: the TXT lookup itself was NXDOMAIN/NODATA.
    NoRecord {
        void: bool,
    },
    Failed,
    Broken,
}

struct TreeWalk<'a> {
    resolver: &'a Resolver,
    nodes: usize,
    queries: usize,
    truncated: bool,
}

fn has_macro(spec: &str) -> bool {
    spec.contains('%')
}

impl<'a> TreeWalk<'a> {
    fn budget(&mut self) -> bool {
        if self.queries >= MAX_TREE_QUERIES {
            self.truncated = true;
            return false;
        }
        self.queries += 1;
        true
    }

    /// Whether a literal name is void for addresses: no A and no AAAA record.
    async fn void_addresses(&mut self, name: &str) -> bool {
        if !self.budget() {
            return false;
        }
        match self.resolver.a(name).await {
            Err(e) if e.is_void() => {}
            _ => return false,
        }
        if !self.budget() {
            return false;
        }
        matches!(self.resolver.aaaa(name).await, Err(e) if e.is_void())
    }

    /// What can be known about an `a`, `mx` or `exists` term without a client IP: a literal
    /// target without records (a void lookup for every receiver), or too many MX names.
    async fn static_check(&mut self, d: &Directive, domain: &str) -> Option<Finding> {
        let void = |what: &str| {
            Finding::warning(
                "spf_void_target",
                "RFC 7208 §4.6.4",
                format!("'{}': {what} (a void lookup)", d.text),
            )
        };
        if let Mechanism::A {
            domain: Some(spec), ..
        }
        | Mechanism::Mx {
            domain: Some(spec), ..
        }
        | Mechanism::Exists { domain: spec } = &d.mechanism
            && !has_macro(spec)
            && !crate::dns::resolver::is_query_name(spec)
        {
            return Some(Finding::warning(
                "spf_unqueryable_target",
                "RFC 7208 §4.3",
                format!(
                    "'{}': '{spec}' is not a name a DNS query can carry, so the term never matches",
                    d.text
                ),
            ));
        }
        match &d.mechanism {
            Mechanism::A { domain: spec, .. } => {
                let name = normalize(spec.as_deref().unwrap_or(domain));
                if has_macro(&name) || !self.void_addresses(&name).await {
                    return None;
                }
                Some(void(&format!("{name} has no A or AAAA record")))
            }
            Mechanism::Mx { domain: spec, .. } => {
                let name = normalize(spec.as_deref().unwrap_or(domain));
                if has_macro(&name) || !self.budget() {
                    return None;
                }
                match self.resolver.mx(&name).await {
                    Err(e) if e.is_void() => Some(void(&format!("{name} has no MX record"))),
                    Ok(hosts) if hosts.len() > MAX_MX_NAMES => Some(Finding::error(
                        "spf_mx_too_many",
                        "RFC 7208 §4.6.4",
                        format!(
                            "'{}': {name} has {} MX names; more than {MAX_MX_NAMES} makes receivers return permerror",
                            d.text,
                            hosts.len()
                        ),
                    )),
                    _ => None,
                }
            }
            Mechanism::Exists { domain: spec } => {
                if has_macro(spec) || !self.budget() {
                    return None;
                }
                let name = normalize(spec);
                match self.resolver.a(&name).await {
                    Err(e) if e.is_void() => Some(void(&format!("{name} has no A record"))),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn node(
        &mut self,
        domain: String,
        via: Option<&'static str>,
        path: Vec<String>,
    ) -> BoxFuture<'_, (SpfNode, NodeStatus)> {
        Box::pin(async move {
            let mut node = SpfNode {
                domain: domain.clone(),
                via: via.map(str::to_string),
                record: None,
                lookups_here: 0,
                lookups_total: 0,
                void_lookups: 0,
                children: Vec::new(),
                findings: Vec::new(),
            };
            self.nodes += 1;
            if !is_valid_domain(&domain) {
                node.findings.push(Finding::error(
                    "spf_invalid_domain",
                    "RFC 7208 §4.3",
                    format!("'{domain}' is not a valid domain name"),
                ));
                return (node, NodeStatus::NoRecord { void: false });
            }
            self.queries += 1;
            let texts = match self.resolver.txt(&domain).await {
                Ok(records) => records.iter().map(|r| r.text()).collect::<Vec<_>>(),
                Err(e) if e.is_void() => return (node, NodeStatus::NoRecord { void: true }),
                Err(e) => {
                    node.findings.push(Finding::warning(
                        "spf_lookup_failed",
                        "RFC 7208 §4.4",
                        format!("{e}; receivers would return temperror"),
                    ));
                    return (node, NodeStatus::Failed);
                }
            };
            let text = match select(&texts) {
                Ok(Some(text)) => text,
                Ok(None) => return (node, NodeStatus::NoRecord { void: false }),
                Err(finding) => {
                    node.findings.push(finding);
                    return (node, NodeStatus::Broken);
                }
            };
            node.record = Some(text.clone());
            let parsed = parse(&text);
            node.findings.extend(parsed.findings);
            let Some(record) = parsed.record else {
                return (node, NodeStatus::Broken);
            };
            node.lookups_here = record.dns_terms();
            let mut path = path;
            path.push(domain.clone());
            let mut targets: Vec<(&'static str, String)> = Vec::new();
            for d in &record.directives {
                if let Mechanism::Include { domain: spec } = &d.mechanism {
                    targets.push(("include", spec.clone()));
                } else if let Some(finding) = self.static_check(d, &domain).await {
                    if finding.code == "spf_void_target" {
                        node.void_lookups += 1;
                    }
                    node.findings.push(finding);
                }
            }
            if let (Some(spec), false) = (&record.redirect, record.has_all()) {
                targets.push(("redirect", spec.clone()));
            }
            for (kind, spec) in targets {
                if has_macro(&spec) {
                    node.findings.push(Finding::info(
                        "spf_macro_target",
                        "RFC 7208 §7",
                        format!("{kind} target '{spec}' uses macros; it depends on the message and is not followed"),
                    ));
                    continue;
                }
                let target = normalize(&spec);
                if path.contains(&target) {
                    node.findings.push(Finding::error(
                        "spf_loop",
                        "RFC 7208 §4.6.4",
                        format!("{kind}:{target} leads back to a record already being evaluated; receivers exhaust the lookup limit and return permerror"),
                    ));
                    continue;
                }
                if path.len() >= MAX_DEPTH as usize || self.nodes >= MAX_TREE_NODES {
                    self.truncated = true;
                    continue;
                }
                let (child, status) = self.node(target.clone(), Some(kind), path.clone()).await;
                match (status, kind) {
                    (NodeStatus::NoRecord { void }, "include") => {
                        node.void_lookups += u32::from(void);
                        node.findings.push(Finding::error(
                            "spf_include_no_record",
                            "RFC 7208 §5.2",
                            format!("include:{target} has no SPF record; receivers return permerror when they reach it"),
                        ));
                    }
                    (NodeStatus::NoRecord { void }, _) => {
                        node.void_lookups += u32::from(void);
                        node.findings.push(Finding::error(
                            "spf_redirect_no_record",
                            "RFC 7208 §6.1",
                            format!(
                                "redirect={target} has no SPF record; receivers return permerror"
                            ),
                        ));
                    }
                    _ => {}
                }
                node.children.push(child);
            }
            node.lookups_total = node.children.iter().fold(node.lookups_here, |acc, c| {
                acc.saturating_add(c.lookups_total)
            });
            (node, NodeStatus::Record)
        })
    }
}

fn collect_findings(node: &SpfNode, nested: bool, out: &mut Vec<Finding>) {
    for f in &node.findings {
        let mut f = f.clone();
        if nested {
            f.message = format!("{}: {}", node.domain, f.message);
        }
        out.push(f);
    }
    for c in &node.children {
        collect_findings(c, true, out);
    }
}

fn sum_voids(node: &SpfNode) -> u32 {
    node.children
        .iter()
        .fold(node.void_lookups, |acc, c| acc.saturating_add(sum_voids(c)))
}

/// Resolves `domain`'s SPF record and every include/redirect target below it, with lookup
/// counts and findings (§4.6.4, §5.2, §6.1).
pub async fn resolve_tree(resolver: &Resolver, domain: &str) -> SpfTree {
    let mut walk = TreeWalk {
        resolver,
        nodes: 0,
        queries: 0,
        truncated: false,
    };
    let (root, status) = walk.node(normalize(domain), None, Vec::new()).await;
    let mut findings = Vec::new();
    if let NodeStatus::NoRecord { .. } = status {
        findings.push(Finding::warning(
            "spf_no_record",
            "RFC 7208 §4.5",
            format!(
                "{} publishes no SPF record; receivers get the result none",
                root.domain
            ),
        ));
    }
    collect_findings(&root, false, &mut findings);
    let lookups_total = root.lookups_total;
    let void_lookups_total = sum_voids(&root);
    if lookups_total > MAX_DNS_LOOKUPS {
        findings.push(Finding::error(
            "spf_too_many_lookups",
            "RFC 7208 §4.6.4",
            format!("evaluating the record takes {lookups_total} DNS-querying terms including nested includes and redirects; more than {MAX_DNS_LOOKUPS} makes receivers return permerror"),
        ));
    }
    if void_lookups_total > MAX_VOID_LOOKUPS {
        findings.push(Finding::error(
            "spf_void_lookups",
            "RFC 7208 §4.6.4",
            format!("{void_lookups_total} terms point at names without records; more than {MAX_VOID_LOOKUPS} void lookups makes receivers return permerror"),
        ));
    }
    if walk.truncated {
        findings.push(Finding::warning(
            "spf_tree_truncated",
            "RFC 7208 §4.6.4",
            "the include tree is too deep or too large to resolve completely; counts are lower bounds",
        ));
    }
    SpfTree {
        root,
        lookups_total,
        void_lookups_total,
        truncated: walk.truncated,
        findings,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::Severity;
    use crate::dns::spf::test_support::{block, codes, has_errors_in, hosts, terms, zone};

    fn tree(zone_spec: &str) -> SpfTree {
        let resolver = Resolver::fixed(zone(zone_spec));
        block(resolve_tree(&resolver, "example.com"))
    }

    #[test]
    fn lookups_are_counted_through_nested_includes() {
        let t = tree(
            "TXT example.com v=spf1 a mx include:a.example.net -all|IP example.com 192.0.2.1|MX example.com 10 mx.example.com\
             |TXT a.example.net v=spf1 include:b.example.net ip4:192.0.2.0/24 -all\
             |TXT b.example.net v=spf1 a:x.example.net exists:%{i}.example.net ~all|IP x.example.net 192.0.2.2",
        );
        assert_eq!(t.root.lookups_here, 3);
        assert_eq!(t.root.lookups_total, 6);
        let a = &t.root.children[0];
        assert_eq!(
            (a.domain.as_str(), a.via.as_deref()),
            ("a.example.net", Some("include"))
        );
        assert_eq!((a.lookups_here, a.lookups_total), (1, 3));
        assert_eq!(a.children[0].lookups_here, 2);
        assert_eq!(t.lookups_total, 6);
        assert_eq!(t.void_lookups_total, 0);
        assert!(!has_errors_in(&t.findings), "{:?}", t.findings);
        assert!(!t.truncated);
    }

    #[test]
    fn more_than_ten_lookups_across_the_tree_is_an_error() {
        let t = tree(&format!(
            "TXT example.com v=spf1 include:a.example.net include:b.example.net -all\
             |TXT a.example.net v=spf1 {} -all|TXT b.example.net v=spf1 {} -all|{}|{}",
            terms("a", "x", 5),
            terms("a", "y", 4),
            hosts("x", 5, "192.0.2.1"),
            hosts("y", 4, "192.0.2.1"),
        ));
        assert_eq!(t.lookups_total, 11);
        assert!(codes(&t.findings).contains(&"spf_too_many_lookups"));
        let ok = tree(&format!(
            "TXT example.com v=spf1 include:a.example.net -all|TXT a.example.net v=spf1 {} -all|{}",
            terms("a", "x", 9),
            hosts("x", 9, "192.0.2.1"),
        ));
        assert_eq!(ok.lookups_total, 10);
        assert!(!codes(&ok.findings).contains(&"spf_too_many_lookups"));
    }

    #[test]
    fn an_include_loop_is_reported_and_not_followed() {
        let t = tree(
            "TXT example.com v=spf1 include:a.example.net -all|TXT a.example.net v=spf1 include:example.com -all",
        );
        let loop_finding = t.findings.iter().find(|f| f.code == "spf_loop").unwrap();
        assert_eq!(loop_finding.severity, Severity::Error);
        // Reported on the nested node, so prefixed with its domain.
        assert!(
            loop_finding.message.starts_with("a.example.net: "),
            "{}",
            loop_finding.message
        );
        assert!(t.root.children[0].children.is_empty());
    }

    #[test]
    fn include_without_record_is_an_error_and_a_void_lookup() {
        let t = tree(
            "TXT example.com v=spf1 include:nx1.example.net include:nx2.example.net include:nx3.example.net include:txt.example.net -all\
             |TXT txt.example.net not spf",
        );
        let missing = t
            .findings
            .iter()
            .filter(|f| f.code == "spf_include_no_record")
            .count();
        assert_eq!(missing, 4);
        // txt.example.net answers, so it is not void; the other three are.
        assert_eq!(t.void_lookups_total, 3);
        assert!(codes(&t.findings).contains(&"spf_void_lookups"));
    }

    #[test]
    fn void_literal_targets_are_counted_without_an_ip() {
        let t = tree(
            "TXT example.com v=spf1 a:nx.example.com mx:nomx.example.com exists:nx2.example.com a:v6.example.com -all\
             |IP nomx.example.com 192.0.2.1|IP v6.example.com 2001:db8::1",
        );
        assert_eq!(t.root.void_lookups, 3);
        assert!(codes(&t.findings).contains(&"spf_void_lookups"));
        let two = tree(
            "TXT example.com v=spf1 a:nx.example.com mx:nomx.example.com -all|IP nomx.example.com 192.0.2.1",
        );
        assert_eq!(two.void_lookups_total, 2);
        assert!(!codes(&two.findings).contains(&"spf_void_lookups"));
    }

    #[test]
    fn redirect_without_record_and_nested_parser_findings_are_reported() {
        let t = tree(
            "TXT example.com v=spf1 include:a.example.net redirect=nx.example.net|TXT a.example.net v=spf1 ptr ?all",
        );
        assert!(codes(&t.findings).contains(&"spf_redirect_no_record"));
        let ptr = t
            .findings
            .iter()
            .find(|f| f.code == "spf_ptr_mechanism")
            .unwrap();
        assert!(ptr.message.starts_with("a.example.net: "));
        assert_eq!(t.root.children[1].via.as_deref(), Some("redirect"));
    }

    #[test]
    fn tree_reports_missing_multiple_and_failed_records() {
        assert_eq!(
            codes(&tree("TXT example.com hello").findings),
            vec!["spf_no_record"]
        );
        let multi = tree(
            "TXT example.com v=spf1 include:m.example.net -all|TXT m.example.net v=spf1 -all|TXT m.example.net v=spf1 ~all",
        );
        assert!(codes(&multi.findings).contains(&"spf_multiple_records"));
        let failed =
            tree("TXT example.com v=spf1 include:f.example.net -all|SERVFAIL f.example.net");
        let f = failed
            .findings
            .iter()
            .find(|f| f.code == "spf_lookup_failed")
            .unwrap();
        assert_eq!(f.severity, Severity::Warning);
        let broken =
            tree("TXT example.com v=spf1 include:b.example.net -all|TXT b.example.net v=spf1 nope");
        assert!(codes(&broken.findings).contains(&"spf_syntax"));
    }

    #[test]
    fn a_hostile_include_fan_out_is_capped() {
        // Every record includes ten others: a full walk would be 10^depth records.
        let mut spec = String::from("TXT example.com v=spf1 include:n0.example.net -all");
        for i in 0..40 {
            let incs: Vec<String> = (1..=10)
                .map(|k| format!("include:n{}.example.net", (i + k) % 40))
                .collect();
            spec.push_str(&format!(
                "|TXT n{i}.example.net v=spf1 {} -all",
                incs.join(" ")
            ));
        }
        let t = tree(&spec);
        fn count(n: &SpfNode) -> usize {
            1 + n.children.iter().map(count).sum::<usize>()
        }
        assert!(count(&t.root) <= MAX_TREE_NODES + 1);
        assert!(t.truncated);
        assert!(codes(&t.findings).contains(&"spf_tree_truncated"));
        assert!(codes(&t.findings).contains(&"spf_too_many_lookups"));
    }

    #[test]
    fn the_checker_warns_about_a_literal_target_no_query_can_carry() {
        let r = Resolver::fixed(zone(
            "TXT example.com v=spf1 a:[x].example.com mx:foo:bar/baz.example.com -all",
        ));
        let tree = block(resolve_tree(&r, "example.com"));
        let flagged: Vec<&str> = tree
            .findings
            .iter()
            .filter(|f| f.code == "spf_unqueryable_target")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(flagged.len(), 1, "{:#?}", tree.findings);
        assert!(flagged[0].contains("[x].example.com"), "{flagged:?}");
    }
}
