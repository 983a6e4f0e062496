from enum import StrEnum


class WarningCode(StrEnum):
    BLANK_LINES_REPAIRED = "blank_lines_repaired"
    CASE_NORMALIZED = "case_normalized"
    COUNT_OUT_OF_RANGE = "count_out_of_range"
    DOCTYPE_IGNORED = "doctype_ignored"
    DRAFT_SCHEMA_ELEMENT = "draft_schema_element"
    DUPLICATE_ELEMENT = "duplicate_element"
    EMPTY_VALUE = "empty_value"
    FIELD_ALIAS = "field_alias"
    FRACTIONAL_TIMESTAMP = "fractional_timestamp"
    GZIP_TRAILING_DATA = "gzip_trailing_data"
    INVALID_CHARACTERS = "invalid_characters"
    INVALID_VALUE = "invalid_value"
    MISMATCHED_TAG = "mismatched_tag"
    MISSING_FIELD = "missing_field"
    NESTED_COMPRESSION = "nested_compression"
    ORG_NAME_FALLBACK = "org_name_fallback"
    RECORD_SKIPPED = "record_skipped"
    SYNONYM_MAPPED = "synonym_mapped"
    TRANSFER_ENCODING_REPAIRED = "transfer_encoding_repaired"
    UNKNOWN_ELEMENT = "unknown_element"
    UNKNOWN_ENCODING = "unknown_encoding"
    UNKNOWN_ENTITY = "unknown_entity"
    UNKNOWN_VALUE = "unknown_value"
    WRAPPER_ELEMENT = "wrapper_element"

    def __str__(self) -> str:
        return str(self.value)
