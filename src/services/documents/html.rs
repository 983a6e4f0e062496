//! The HTML renderer: one self-contained, printable page from a [`Document`].
//!
//! Invariants:
//! - Every string of the model is escaped ([`escape`]) before it is written; colours are
//!   validated `#rrggbb` values and escaped all the same.
//! - Nothing is fetched: CSS is inline, the logo is a `data:` URI, charts are inline SVG;
//!   there is no script.
//! - The page states its language (`<html lang>`), has one `<h1>`, section headings, table
//!   headers with `scope`, and charts with a text alternative.

use super::charts;
use super::model::{Align, Block, Callout, Document, Table};
use base64::Engine;
use std::fmt::Write;

/// Escapes text for HTML content and double-quoted attribute values.
pub fn escape(s: &str) -> String {
    charts::escape_xml(s)
}

/// The page.
pub fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let primary = escape(&doc.brand.primary_color);
    let accent = escape(&doc.brand.accent_color);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{css}</style>\n</head>\n<body>\n",
        lang = escape(&doc.language),
        title = escape(&doc.title),
        css = css(&primary, &accent),
    );
    out.push_str("<header class=\"masthead\">");
    if let Some(logo) = &doc.brand.logo {
        let _ = write!(
            out,
            "<img class=\"logo\" alt=\"{}\" src=\"data:{};base64,{}\">",
            escape(&doc.brand.name),
            logo.format.media_type(),
            base64::engine::general_purpose::STANDARD.encode(&logo.bytes)
        );
    }
    let _ = write!(
        out,
        "<p class=\"brand\">{}</p></header>\n<main>\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n",
        escape(&doc.brand.name),
        escape(&doc.title),
        escape(&doc.subtitle)
    );
    for block in &doc.blocks {
        block_html(&mut out, block);
    }
    out.push_str("</main>\n<footer>");
    let _ = write!(out, "<p>{}</p>", escape(&doc.generated));
    if let Some(support) = &doc.brand.support {
        let _ = write!(out, "<p>{}</p>", escape(support));
    }
    if let Some(footer) = &doc.brand.footer {
        let _ = write!(out, "<p>{}</p>", escape(footer));
    }
    out.push_str("</footer>\n</body>\n</html>\n");
    out
}

fn block_html(out: &mut String, block: &Block) {
    match block {
        Block::Heading { level, text } => {
            let level = (*level).clamp(2, 4);
            let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
        }
        Block::Paragraph { text } => {
            let _ = writeln!(out, "<p>{}</p>", escape(text));
        }
        Block::Figures { items } => {
            out.push_str("<dl class=\"figures\">");
            for f in items {
                let _ = write!(
                    out,
                    "<div class=\"figure\"><dt>{}</dt><dd class=\"value\">{}</dd>",
                    escape(&f.label),
                    escape(&f.value)
                );
                if let Some(change) = &f.change {
                    let _ = write!(out, "<dd class=\"change\">{}</dd>", escape(change));
                }
                out.push_str("</div>");
            }
            out.push_str("</dl>\n");
        }
        Block::Table(table) => table_html(out, table),
        Block::Chart(chart) => {
            let _ = writeln!(
                out,
                "<figure class=\"chart\">{}<figcaption>{}</figcaption></figure>",
                charts::svg(chart),
                escape(&chart.title)
            );
        }
        Block::Callout(c) => callout_html(out, c),
        Block::Definitions { items } => {
            out.push_str("<dl class=\"definitions\">");
            for d in items {
                let _ = write!(
                    out,
                    "<dt>{}</dt><dd>{}</dd>",
                    escape(&d.term),
                    escape(&d.value)
                );
            }
            out.push_str("</dl>\n");
        }
    }
}

fn table_html(out: &mut String, t: &Table) {
    if t.rows.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"caption\">{}</p><p class=\"empty\">{}</p>",
            escape(&t.caption),
            escape(&t.empty)
        );
        return;
    }
    let class = |a: Align| match a {
        Align::Start => "",
        Align::End => " class=\"num\"",
    };
    let _ = write!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr>",
        escape(&t.caption)
    );
    for c in &t.columns {
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{}</th>",
            class(c.align),
            escape(&c.title)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let align = t.columns.get(i).map(|c| c.align).unwrap_or(Align::Start);
            if i == 0 {
                let _ = write!(
                    out,
                    "<th scope=\"row\"{}>{}</th>",
                    class(align),
                    escape(cell)
                );
            } else {
                let _ = write!(out, "<td{}>{}</td>", class(align), escape(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(more) = &t.more {
        let _ = writeln!(out, "<p class=\"more\">{}</p>", escape(more));
    }
}

fn callout_html(out: &mut String, c: &Callout) {
    let severity = match c.severity {
        super::model::Severity::Critical => "critical",
        super::model::Severity::Warning => "warning",
        super::model::Severity::Info => "info",
    };
    let _ = write!(
        out,
        "<section class=\"callout {severity}\"><h3><span class=\"severity\">{}</span> {}</h3><p>{}</p><p><strong>{}</strong> {}</p>",
        escape(&c.severity_label),
        escape(&c.title),
        escape(&c.explanation),
        escape(&c.remediation_label),
        escape(&c.remediation)
    );
    if let Some(record) = &c.record {
        let _ = write!(
            out,
            "<p><strong>{}</strong></p><pre><code>{}</code></pre>",
            escape(&c.record_label),
            escape(record)
        );
    }
    out.push_str("</section>\n");
}

fn css(primary: &str, accent: &str) -> String {
    format!(
        "body {{ font-family: Inter, 'Helvetica Neue', Arial, sans-serif; color: #1a1a1a; margin: 0; background: #ffffff; font-size: 14px; line-height: 1.45; }}
.masthead {{ background: {primary}; color: #ffffff; padding: 12px 32px; display: flex; align-items: center; gap: 16px; }}
.masthead .brand {{ font-weight: 700; font-size: 18px; margin: 0; }}
.logo {{ max-height: 40px; max-width: 200px; background: #ffffff; padding: 4px; border-radius: 4px; }}
main {{ max-width: 960px; margin: 0 auto; padding: 16px 32px; }}
h1 {{ color: {primary}; margin-bottom: 4px; }}
h2 {{ color: {primary}; border-bottom: 2px solid {accent}; padding-bottom: 4px; margin-top: 32px; }}
h3 {{ margin: 0 0 6px 0; }}
.subtitle {{ color: #555555; margin-top: 0; }}
.figures {{ display: flex; flex-wrap: wrap; gap: 12px; margin: 0; }}
.figure {{ border: 1px solid #d9d9d9; border-top: 4px solid {accent}; border-radius: 4px; padding: 8px 14px; min-width: 160px; }}
.figure dt {{ color: #555555; font-size: 12px; }}
.figure dd {{ margin: 0; }}
.figure .value {{ font-size: 22px; font-weight: 700; }}
.figure .change {{ color: #555555; font-size: 12px; }}
table {{ border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }}
caption {{ text-align: left; font-weight: 600; padding: 4px 0; }}
th, td {{ border-bottom: 1px solid #e3e3e3; padding: 4px 8px; text-align: left; vertical-align: top; }}
thead th {{ background: #f2f4f7; border-bottom: 2px solid {primary}; }}
tbody th {{ font-weight: 400; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.more, .empty {{ color: #555555; font-style: italic; }}
.chart {{ margin: 8px 0; }}
.chart svg {{ max-width: 100%; height: auto; }}
figcaption {{ color: #555555; font-size: 12px; }}
.callout {{ border-left: 6px solid #888888; background: #f7f7f7; padding: 10px 14px; margin: 10px 0; break-inside: avoid; }}
.callout.critical {{ border-color: #b3261e; }}
.callout.warning {{ border-color: #c77700; }}
.callout.info {{ border-color: {primary}; }}
.severity {{ font-size: 12px; text-transform: uppercase; color: #555555; }}
pre {{ background: #ffffff; border: 1px solid #d9d9d9; padding: 8px; white-space: pre-wrap; word-break: break-all; }}
.definitions {{ display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }}
.definitions dt {{ font-weight: 600; }}
.definitions dd {{ margin: 0; word-break: break-word; }}
footer {{ max-width: 960px; margin: 24px auto; padding: 8px 32px; color: #555555; font-size: 12px; border-top: 1px solid #d9d9d9; }}
@media print {{ .masthead {{ print-color-adjust: exact; -webkit-print-color-adjust: exact; }} h2 {{ break-after: avoid; }} tr {{ break-inside: avoid; }} }}
"
    )
}
