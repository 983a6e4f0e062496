//! Checking a tenant's logo at the boundary: untrusted bytes become a [`Logo`] once, here,
//! and documents and digests embed a `Logo` as it is.
//!
//! Invariants of a [`Logo`] made by [`Logo::parse`]:
//! - at most [`MAX_LOGO_BYTES`] bytes;
//! - a PNG decodes completely (every chunk, every row) and is at most
//!   [`MAX_LOGO_SIDE`] pixels on each side;
//! - an SVG is well-formed XML with an `<svg>` root and nothing that runs or fetches: no
//!   DOCTYPE (so no entities), no processing instruction, no `<script>`, `<foreignObject>`
//!   or other embedding element, no `on*` event attribute, no `javascript:` anywhere, no
//!   reference (`href`, `xlink:href`, `src`, CSS `url(…)`) to anything but a fragment of
//!   the logo itself (`#id`), no `@import`, `image-set(` or CSS escape in a stylesheet or
//!   `style` attribute. The checker refuses rather than cleans: a logo either passes
//!   unchanged or is refused with the reason.
//!
//! Must not depend on actix-web or diesel.

use super::branding::{Logo, LogoFormat};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use std::io::Cursor;

/// The largest logo accepted, in decoded bytes.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;
/// The largest width or height of a PNG logo, in pixels.
pub const MAX_LOGO_SIDE: u32 = 4096;
/// The most memory a PNG logo may need to decode.
const MAX_DECODE_BYTES: usize = 64 << 20;

/// Why a logo was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    /// Larger than [`MAX_LOGO_BYTES`].
    #[error("the logo has {0} bytes; at most {MAX_LOGO_BYTES} are accepted")]
    TooLarge(usize),
    /// Not an image of the declared format, or one of absurd dimensions.
    #[error("the logo is not a usable {format}: {reason}")]
    Invalid {
        format: &'static str,
        reason: String,
    },
    /// An SVG with active content or an external reference.
    #[error("the SVG logo is refused: {0}")]
    Unsafe(String),
}

impl Logo {
    /// Checks `bytes` as a logo of `format` (see the module's invariants).
    pub fn parse(format: LogoFormat, bytes: Vec<u8>) -> Result<Logo, LogoError> {
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(LogoError::TooLarge(bytes.len()));
        }
        match format {
            LogoFormat::Png => check_png(&bytes)?,
            LogoFormat::Svg => check_svg(&bytes)?,
        }
        Ok(Logo { format, bytes })
    }
}

fn check_png(bytes: &[u8]) -> Result<(), LogoError> {
    let invalid = |reason: String| LogoError::Invalid {
        format: "PNG",
        reason,
    };
    let limits = png::Limits {
        bytes: MAX_DECODE_BYTES,
    };
    let mut reader = png::Decoder::new_with_limits(Cursor::new(bytes), limits)
        .read_info()
        .map_err(|e| invalid(e.to_string()))?;
    let (width, height) = reader.info().size();
    if width == 0 || height == 0 || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE {
        return Err(invalid(format!(
            "{width}×{height} pixels; each side must be 1 to {MAX_LOGO_SIDE}"
        )));
    }
    let size = reader
        .output_buffer_size()
        .filter(|&n| n <= MAX_DECODE_BYTES)
        .ok_or_else(|| invalid("the image needs too much memory to decode".into()))?;
    // Decoding every row proves the data is whole (CRCs, zlib stream, filters), so a renderer
    // never meets a broken logo later.
    let mut buf = vec![0; size];
    reader
        .next_frame(&mut buf)
        .map_err(|e| invalid(e.to_string()))?;
    Ok(())
}

/// Elements that embed other documents, run code or fetch: refused wherever they appear.
const REFUSED_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
];

/// Attributes whose value is a reference: only `#fragment` is allowed.
const REFERENCE_ATTRIBUTES: &[&str] = &["href", "src"];

fn check_svg(bytes: &[u8]) -> Result<(), LogoError> {
    let unsafe_ = |why: &str| LogoError::Unsafe(why.to_string());
    let text = std::str::from_utf8(bytes).map_err(|_| unsafe_("it is not UTF-8 text"))?;
    let mut xml = quick_xml::Reader::from_str(text);
    {
        let config = xml.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        config.check_comments = true;
    }
    // Open elements; a stylesheet's text is collected until its element closes.
    let mut open: Vec<String> = Vec::new();
    let mut root_seen = false;
    let mut style: Option<String> = None;
    loop {
        let event = xml
            .read_event()
            .map_err(|e| LogoError::Unsafe(format!("it is not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_root = open.is_empty();
                if is_root && root_seen {
                    return Err(unsafe_("it has more than one root element"));
                }
                let name = check_element(e, is_root)?;
                root_seen = true;
                if matches!(event, Event::Start(_)) {
                    if name == "style" {
                        style = Some(String::new());
                    }
                    open.push(name);
                }
            }
            Event::End(_) => {
                if open.pop().as_deref() == Some("style")
                    && let Some(css) = style.take()
                {
                    check_css(&css)?;
                }
            }
            Event::Text(t) => {
                if open.is_empty() && !t.trim().is_empty() {
                    return Err(unsafe_("it has text outside the <svg> element"));
                }
                if let Some(css) = style.as_mut() {
                    css.push_str(&t);
                }
                check_text(&t)?;
            }
            Event::CData(t) => {
                if let Some(css) = style.as_mut() {
                    css.push_str(&t);
                }
                check_text(&t)?;
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .ok_or_else(|| unsafe_("it has an invalid character reference"))?
                } else {
                    resolve_predefined_entity(&r)
                        .map(str::to_string)
                        .ok_or_else(|| unsafe_("it refers to an entity"))?
                };
                if let Some(css) = style.as_mut() {
                    css.push_str(&resolved);
                }
            }
            Event::DocType(_) => {
                return Err(unsafe_("it has a DOCTYPE (entities and external subsets)"));
            }
            Event::PI(_) => {
                return Err(unsafe_(
                    "it has a processing instruction (such as an external stylesheet)",
                ));
            }
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !open.is_empty() {
        return Err(unsafe_(
            "it is not well-formed XML: an element is not closed",
        ));
    }
    if !root_seen {
        return Err(unsafe_("it has no <svg> element"));
    }
    Ok(())
}

/// Checks one element and its attributes; answers its local name in lower case.
fn check_element(e: &BytesStart<'_>, is_root: bool) -> Result<String, LogoError> {
    let name = local(e.name().as_ref());
    if is_root && name != "svg" {
        return Err(LogoError::Unsafe(format!(
            "its root element is <{name}>, not <svg>"
        )));
    }
    if REFUSED_ELEMENTS.contains(&name.as_str()) {
        return Err(LogoError::Unsafe(format!("it has a <{name}> element")));
    }
    for attribute in e.attributes().with_checks(true) {
        let attribute = attribute
            .map_err(|err| LogoError::Unsafe(format!("it is not well-formed XML: {err}")))?;
        let key: &str = attribute.key.as_ref();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::default())
            .map_err(|err| LogoError::Unsafe(format!("an attribute value is invalid: {err}")))?;
        check_attribute(&name, key, &value)?;
    }
    Ok(name)
}

fn check_attribute(element: &str, key: &str, value: &str) -> Result<(), LogoError> {
    let attr = local(key);
    let refuse = |why: String| Err(LogoError::Unsafe(why));
    if attr.starts_with("on") {
        return refuse(format!("<{element}> has the event attribute {key}"));
    }
    if key.eq_ignore_ascii_case("xml:base") {
        return refuse(format!("<{element}> sets xml:base"));
    }
    if REFERENCE_ATTRIBUTES.contains(&attr.as_str()) && !value.trim_start().starts_with('#') {
        return refuse(format!(
            "<{element}> {key} refers to something outside the logo"
        ));
    }
    // <set attributeName="href" to="…"> and <animate …> would change a reference later.
    if attr == "attributename" && REFERENCE_ATTRIBUTES.contains(&local(value.trim()).as_str()) {
        return refuse(format!("<{element}> animates a reference attribute"));
    }
    check_text(value)?;
    check_css(value)
}

/// `javascript:` is refused in any text (ignoring whitespace and case, as browsers do).
fn check_text(text: &str) -> Result<(), LogoError> {
    if squeezed(text).contains("javascript:") {
        return Err(LogoError::Unsafe("it contains javascript:".into()));
    }
    Ok(())
}

/// A stylesheet or attribute value: every `url(` must name a `#fragment`; no `@import`,
/// `image-set(` (it takes bare URLs) or backslash (a CSS escape could spell `url(`).
fn check_css(css: &str) -> Result<(), LogoError> {
    let refuse = |why: &str| Err(LogoError::Unsafe(why.to_string()));
    let css = squeezed(css);
    if css.contains("@import") {
        return refuse("its stylesheet imports another");
    }
    if css.contains("image-set(") {
        return refuse("its stylesheet uses image-set()");
    }
    if css.contains('\\') && (css.contains('(') || css.contains('@')) {
        return refuse("its stylesheet uses CSS escapes");
    }
    for (at, _) in css.match_indices("url(") {
        let target = css[at + 4..].trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            return refuse("it refers to something outside the logo with url()");
        }
    }
    Ok(())
}

/// Lower case without ASCII whitespace or control characters, so `Java\tScript :` and
/// `URL (` match what a browser would read.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The local part of a qualified name, lower case.
fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn svg(body: &str) -> Result<Logo, LogoError> {
        Logo::parse(LogoFormat::Svg, body.as_bytes().to_vec())
    }

    fn is_unsafe(body: &str) -> bool {
        matches!(svg(body), Err(LogoError::Unsafe(_)))
    }

    /// A `width`×`height` RGBA PNG, encoded with the png crate.
    fn tiny_png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            let data = vec![0x7f; (width * height * 4) as usize];
            writer.write_image_data(&data).unwrap();
        }
        out
    }

    const CLEAN: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Acme logo -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 120 40">
  <defs>
    <linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#1f4e79"/><stop offset="1" stop-color="#e07a1f"/></linearGradient>
    <clipPath id="c"><rect width="120" height="40" rx="6"/></clipPath>
    <style><![CDATA[ .t { font: bold 20px sans-serif; fill: url(#g) } ]]></style>
  </defs>
  <rect width="120" height="40" fill="url('#g')" clip-path="url(#c)"/>
  <use xlink:href="#c" href="#c"/>
  <text class="t" x="10" y="28" style="fill: url(#g)">Acme &amp; Co &#169;</text>
</svg>"##;

    #[test]
    fn a_clean_svg_with_gradients_and_fragment_references_passes() {
        let logo = svg(CLEAN).unwrap();
        assert_eq!(logo.format, LogoFormat::Svg);
        assert_eq!(logo.bytes, CLEAN.as_bytes());
    }

    #[test]
    fn an_svg_with_a_script_element_is_unsafe() {
        assert!(is_unsafe(
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#
        ));
        assert!(is_unsafe(
            r#"<svg xmlns="http://www.w3.org/2000/svg"><svg:SCRIPT xmlns:svg="http://www.w3.org/2000/svg"/></svg>"#
        ));
    }

    #[test]
    fn an_svg_with_an_event_attribute_is_unsafe() {
        assert!(is_unsafe(r#"<svg onload="alert(1)"/>"#));
        assert!(is_unsafe(r#"<svg><rect OnClick="x()"/></svg>"#));
    }

    #[test]
    fn an_svg_with_foreign_object_is_unsafe() {
        assert!(is_unsafe(
            r#"<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject></svg>"#
        ));
    }

    #[test]
    fn an_svg_with_javascript_anywhere_is_unsafe() {
        assert!(is_unsafe(
            r##"<svg><a href="#x"><text>java
script:alert(1)</text></a></svg>"##
        ));
        assert!(is_unsafe(r#"<svg><a href="JavaScript:alert(1)"/></svg>"#));
        assert!(is_unsafe(
            r#"<svg><a href="&#106;avascript:alert(1)"/></svg>"#
        ));
    }

    #[test]
    fn an_svg_with_an_external_reference_is_unsafe() {
        for body in [
            r#"<svg><image href="https://evil.example/x.png"/></svg>"#,
            r#"<svg xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="other.svg#a"/></svg>"#,
            r#"<svg><image href="data:image/png;base64,AAAA"/></svg>"#,
            r#"<svg><img src="x.png"/></svg>"#,
            r#"<svg><rect fill="url(https://evil.example/p)"/></svg>"#,
            r#"<svg><rect style="fill: URL ( 'https://evil.example/p' )"/></svg>"#,
            r#"<svg><style>@import "https://evil.example/a.css";</style></svg>"#,
            r#"<svg><style>.a { background: url(https://evil.example/p) }</style></svg>"#,
            r#"<svg><style><![CDATA[.a { background: url(//evil.example/p) }]]></style></svg>"#,
            r#"<svg><style>.a { background: &#117;rl(https://evil.example/p) }</style></svg>"#,
            r#"<svg><style>.a { background: u\72l(https://evil.example/p) }</style></svg>"#,
            r#"<svg><style>.a { background: image-set("https://evil.example/p" 1x) }</style></svg>"#,
            r#"<svg><set attributeName="xlink:href" to="https://evil.example"/></svg>"#,
            r##"<svg xml:base="https://evil.example/"><use href="#a"/></svg>"##,
        ] {
            assert!(is_unsafe(body), "{body}");
        }
    }

    #[test]
    fn an_svg_with_a_doctype_or_entities_is_unsafe() {
        assert!(is_unsafe(
            r#"<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>"#
        ));
        assert!(is_unsafe(r#"<svg><text>&nbsp;</text></svg>"#));
        assert!(is_unsafe(
            r#"<?xml-stylesheet href="https://evil.example/a.css"?><svg/>"#
        ));
    }

    #[test]
    fn malformed_or_foreign_xml_is_refused() {
        for body in [
            "<svg><g></svg>",
            "<svg><g>",
            "<svg></g></svg>",
            "<html><body/></html>",
            "not xml at all",
            "",
            "<svg/><svg/>trailing",
        ] {
            assert!(is_unsafe(body), "{body}");
        }
        assert!(matches!(
            Logo::parse(LogoFormat::Svg, vec![0xff, 0xfe, 0x3c]),
            Err(LogoError::Unsafe(_))
        ));
    }

    #[test]
    fn a_logo_over_the_cap_is_too_large_whatever_its_format() {
        let big = format!("<svg>{}</svg>", " ".repeat(MAX_LOGO_BYTES));
        assert!(matches!(svg(&big), Err(LogoError::TooLarge(_))));
        assert!(matches!(
            Logo::parse(LogoFormat::Png, vec![0; MAX_LOGO_BYTES + 1]),
            Err(LogoError::TooLarge(_))
        ));
    }

    #[test]
    fn a_png_that_decodes_passes_and_a_broken_one_is_invalid() {
        let good = tiny_png(3, 2);
        assert!(Logo::parse(LogoFormat::Png, good.clone()).is_ok());
        let truncated = good[..good.len() - 20].to_vec();
        assert!(matches!(
            Logo::parse(LogoFormat::Png, truncated),
            Err(LogoError::Invalid { .. })
        ));
        assert!(matches!(
            Logo::parse(LogoFormat::Png, CLEAN.as_bytes().to_vec()),
            Err(LogoError::Invalid { .. })
        ));
    }

    #[test]
    fn a_png_of_absurd_dimensions_is_invalid() {
        // One pixel wider than allowed: refused before any pixel is read.
        let wide = tiny_png(MAX_LOGO_SIDE + 1, 1);
        assert!(matches!(
            Logo::parse(LogoFormat::Png, wide),
            Err(LogoError::Invalid { .. })
        ));
    }
}
