# What the report reader had to tolerate, in plain words (one per warning code).

warning-gzip-trailing-data = Extra bytes after the compressed report were ignored.
warning-nested-compression = The report was compressed twice; it was unpacked twice.
warning-invalid-characters = Characters that are invalid in the report's encoding were replaced.
warning-unknown-encoding = The report named an unknown character encoding; UTF-8 was assumed.
warning-wrapper-element = The report was wrapped in an extra element, which was skipped.
warning-doctype-ignored = A document type declaration was ignored.
warning-unknown-entity = An unknown entity reference was kept as written.
warning-mismatched-tag = Elements were not closed properly; the structure was repaired.
warning-case-normalized = A value was written in unusual capitals and read as the standard value.
warning-synonym-mapped = A non-standard word was read as its standard meaning.
warning-unknown-value = A value outside the standard's vocabulary was kept as sent.
warning-empty-value = An empty value was treated as absent.
warning-missing-field = A required field was missing.
warning-duplicate-element = A field that may appear once appeared again; the first was used.
warning-unknown-element = A field the standard does not define was kept as an extension.
warning-draft-schema-element = A field of the pre-standard draft format was read as its standard equivalent.
warning-fractional-timestamp = A time with fractions of a second was rounded down to whole seconds.
warning-org-name-fallback = The reporter's name was missing and taken from its contact address.
warning-record-skipped = A broken record was skipped.
warning-field-alias = A field had an alternative name or form and was read all the same.
warning-invalid-value = A value was out of range or badly formatted and was left out or adjusted.
warning-transfer-encoding-repaired = The email's transfer encoding had to be repaired to read the report.
warning-count-out-of-range = A record with an impossible message count was dropped.
warning-blank-lines-repaired = Lines of the email holding only spaces were read as blank lines.
