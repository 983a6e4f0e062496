//! One pagination shape for every list endpoint, so SDKs can page them all the same way:
//! `limit` and `cursor` in the query, `items` and `next_cursor` in the answer.
//!
//! A cursor is opaque to clients: the URL-safe base64 of the sort key of the last item of the
//! page (each endpoint chooses and parses its own key). Pages are keyset pages: an item
//! inserted or deleted between two requests neither repeats nor skips another.

use crate::api::error::ApiError;
use base64::Engine;
use serde::Deserialize;
use utoipa::IntoParams;

/// Smallest and largest page size, and the default.
pub const MIN_LIMIT: i64 = 1;
pub const MAX_LIMIT: i64 = 500;
pub const DEFAULT_LIMIT: i64 = 50;

/// Page size and position of a list request.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl PageQuery {
    /// The page size, checked.
    pub fn limit(&self) -> Result<i64, ApiError> {
        checked_limit(self.limit)
    }

    /// The decoded sort key of the cursor, if any.
    pub fn after(&self) -> Result<Option<String>, ApiError> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }
}

/// The page size, or 400 when it is outside 1..=500.
pub fn checked_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(MIN_LIMIT..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between {MIN_LIMIT} and {MAX_LIMIT}"
        )));
    }
    Ok(limit)
}

pub fn encode_cursor(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

pub fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .ok_or_else(bad_cursor)
}

/// 400 for a cursor this API did not hand out.
pub fn bad_cursor() -> ApiError {
    ApiError::BadRequest("cursor is not a cursor returned by this API".into())
}

/// Splits a `<number>:<rest>` cursor key.
pub fn split_number_key(key: &str) -> Result<(i64, String), ApiError> {
    let (number, rest) = key.split_once(':').ok_or_else(bad_cursor)?;
    Ok((number.parse().map_err(|_| bad_cursor())?, rest.to_string()))
}

/// The `(number, id)` key of a `<number>:<id>` cursor (most lists sort by a time and an id),
/// if there is a cursor.
pub fn number_cursor(cursor: Option<&str>) -> Result<Option<(i64, String)>, ApiError> {
    cursor
        .map(|c| split_number_key(&decode_cursor(c)?))
        .transpose()
}

/// The `(number, number, id)` key of a `<number>:<number>:<id>` cursor, if there is a cursor.
pub fn two_number_cursor(cursor: Option<&str>) -> Result<Option<(i64, i64, String)>, ApiError> {
    cursor
        .map(|c| {
            let (first, rest) = split_number_key(&decode_cursor(c)?)?;
            let (second, id) = split_number_key(&rest)?;
            Ok((first, second, id))
        })
        .transpose()
}

/// Cuts `rows` (fetched with `limit + 1`) to one page and computes the next cursor from the
/// last item kept.
pub fn page<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|r| encode_cursor(&key(r)));
        (rows, next)
    } else {
        (rows, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_the_key_it_was_made_from() {
        let cursor = encode_cursor("1700000000:abc");
        assert_eq!(
            decode_cursor(&cursor).ok().as_deref(),
            Some("1700000000:abc")
        );
    }

    #[test]
    fn a_page_of_more_rows_than_the_limit_has_a_next_cursor() {
        let (items, next) = page(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(items, vec![1, 2]);
        assert_eq!(next.map(|c| decode_cursor(&c).ok()), Some(Some("2".into())));
        let (items, next) = page(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(items, vec![1, 2]);
        assert!(next.is_none());
    }

    #[test]
    fn limits_outside_the_range_are_refused() {
        assert!(checked_limit(Some(0)).is_err());
        assert!(checked_limit(Some(501)).is_err());
        assert_eq!(checked_limit(None).ok(), Some(50));
    }
}
