//! SPF (RFC 7208): record parsing with positions, macro expansion, `check_host` evaluation
//! and the resolved include tree.
