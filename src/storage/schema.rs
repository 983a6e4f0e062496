//! Diesel table definitions shared by both backends. Only types the derived `MultiBackend`
//! supports: `Text`, `BigInt`, `Integer`, `Bool`, `Binary`.

diesel::table! {
    tenants (id) {
        id -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        path -> Text,
        created_at -> BigInt,
        auto_register_domains -> Nullable<Bool>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        role -> Text,
        key_hash -> Text,
        prefix -> Text,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    issued_tokens (jti) {
        jti -> Text,
        tenant_id -> Text,
        api_key_id -> Nullable<Text>,
        role -> Text,
        issued_at -> BigInt,
        expires_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    domains (id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        ingest_token -> Text,
        created_at -> BigInt,
        last_report_at -> Nullable<BigInt>,
        deleting_since -> Nullable<BigInt>,
        rollups_kept_from -> Nullable<BigInt>,
    }
}

diesel::table! {
    dns_snapshots (id) {
        id -> Text,
        tenant_id -> Text,
        domain_id -> Text,
        kind -> Text,
        selector -> Text,
        checked_at -> BigInt,
        worst -> Text,
        report -> Text,
    }
}

diesel::table! {
    source_names (ip) {
        ip -> Text,
        ptr_names -> Text,
        confirmed_name -> Nullable<Text>,
        org_domain -> Nullable<Text>,
        lookup_error -> Nullable<Text>,
        checked_at -> BigInt,
        expires_at -> BigInt,
        failing_since -> Nullable<BigInt>,
    }
}

diesel::table! {
    uploads (id) {
        id -> Text,
        tenant_id -> Text,
        sha256 -> Text,
        size -> BigInt,
        content_type -> Nullable<Text>,
        data -> Binary,
        created_at -> BigInt,
        filename -> Nullable<Text>,
        purged_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        tenant_id -> Text,
        domain_id -> Text,
        upload_id -> Text,
        origin -> Text,
        kind -> Text,
        org_name -> Text,
        external_id -> Text,
        policy_domain -> Text,
        begin_ts -> BigInt,
        end_ts -> BigInt,
        content_hash -> Text,
        superseded_by -> Nullable<Text>,
        conflict -> Bool,
        header -> Text,
        warnings -> Text,
        record_count -> BigInt,
        message_count -> BigInt,
        created_at -> BigInt,
        records_purged_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    dmarc_records (report_id, seq) {
        report_id -> Text,
        seq -> BigInt,
        source_ip -> Text,
        count -> BigInt,
        disposition -> Nullable<Text>,
        dkim_aligned -> Nullable<Text>,
        spf_aligned -> Nullable<Text>,
        header_from -> Nullable<Text>,
        envelope_from -> Nullable<Text>,
        envelope_to -> Nullable<Text>,
        reasons -> Text,
        dkim -> Text,
        spf -> Text,
        extensions -> Nullable<Text>,
    }
}

diesel::table! {
    tls_policies (report_id, seq) {
        report_id -> Text,
        seq -> BigInt,
        policy_type -> Text,
        policy_domain -> Text,
        policy_string -> Text,
        mx_host -> Text,
        successful_sessions -> BigInt,
        failed_sessions -> BigInt,
    }
}

diesel::table! {
    tls_failures (report_id, policy_seq, seq) {
        report_id -> Text,
        policy_seq -> BigInt,
        seq -> BigInt,
        result_type -> Text,
        sending_mta_ip -> Nullable<Text>,
        receiving_mx_hostname -> Nullable<Text>,
        receiving_mx_helo -> Nullable<Text>,
        receiving_ip -> Nullable<Text>,
        failed_session_count -> BigInt,
        additional_information -> Nullable<Text>,
        failure_reason_code -> Nullable<Text>,
    }
}

diesel::table! {
    dmarc_daily (report_id, day, disposition, dkim_aligned, spf_aligned) {
        report_id -> Text,
        domain_id -> Text,
        day -> BigInt,
        disposition -> Text,
        dkim_aligned -> Text,
        spf_aligned -> Text,
        messages -> BigInt,
    }
}

// Per-source rollups summed across reports (migration 2026-12-08-000001_source_rollups).
diesel::table! {
    dmarc_source_days (domain_id, day, source_ip, header_from) {
        domain_id -> Text,
        day -> BigInt,
        source_ip -> Text,
        header_from -> Text,
        messages -> BigInt,
        pass_messages -> BigInt,
        dkim_aligned_messages -> BigInt,
        spf_aligned_messages -> BigInt,
        quarantine_messages -> BigInt,
        reject_messages -> BigInt,
        forwarded_messages -> BigInt,
    }
}

diesel::table! {
    dmarc_source_months (domain_id, day, source_ip, header_from) {
        domain_id -> Text,
        day -> BigInt,
        source_ip -> Text,
        header_from -> Text,
        messages -> BigInt,
        pass_messages -> BigInt,
        dkim_aligned_messages -> BigInt,
        spf_aligned_messages -> BigInt,
        quarantine_messages -> BigInt,
        reject_messages -> BigInt,
        forwarded_messages -> BigInt,
    }
}

diesel::table! {
    dmarc_auth_days (domain_id, day, source_ip, method, auth_domain) {
        domain_id -> Text,
        day -> BigInt,
        source_ip -> Text,
        method -> Text,
        auth_domain -> Text,
        messages -> BigInt,
    }
}

diesel::table! {
    dmarc_auth_months (domain_id, day, source_ip, method, auth_domain) {
        domain_id -> Text,
        day -> BigInt,
        source_ip -> Text,
        method -> Text,
        auth_domain -> Text,
        messages -> BigInt,
    }
}

diesel::table! {
    rollup_rebuilds (name) {
        name -> Text,
        requested_at -> BigInt,
    }
}

diesel::table! {
    tls_daily (report_id, day, org_name, result_type, sending_mta_ip, receiving_mx_hostname) {
        report_id -> Text,
        domain_id -> Text,
        day -> BigInt,
        org_name -> Text,
        result_type -> Text,
        sending_mta_ip -> Text,
        receiving_mx_hostname -> Text,
        successful_sessions -> BigInt,
        failed_sessions -> BigInt,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        tenant_id -> Nullable<Text>,
        kind -> Text,
        payload -> Text,
        run_at -> BigInt,
        attempts -> Integer,
        locked_until -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        locked_by -> Nullable<Text>,
    }
}

diesel::table! {
    issues (id) {
        id -> Text,
        tenant_id -> Text,
        domain_id -> Text,
        code -> Text,
        subject -> Text,
        severity -> Text,
        severity_rank -> Integer,
        status -> Text,
        title -> Text,
        explanation -> Text,
        remediation -> Text,
        record -> Nullable<Text>,
        evidence -> Text,
        first_seen_at -> BigInt,
        last_seen_at -> BigInt,
        status_changed_at -> BigInt,
        acknowledged_at -> Nullable<BigInt>,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        tenant_id -> Text,
        url -> Text,
        events -> Text,
        secret -> Text,
        description -> Text,
        enabled -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        tenant_id -> Text,
        webhook_id -> Text,
        event_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        response_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        next_attempt_at -> Nullable<BigInt>,
        delivered_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mailboxes (id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        host -> Text,
        port -> Integer,
        tls -> Text,
        username -> Text,
        auth -> Text,
        oauth -> Nullable<Text>,
        secrets_enc -> Binary,
        access_token_enc -> Nullable<Binary>,
        access_token_expires_at -> Nullable<BigInt>,
        folder -> Text,
        after_action -> Text,
        after_folder -> Nullable<Text>,
        rejected_folder -> Text,
        enabled -> Bool,
        poll_interval_seconds -> BigInt,
        uidvalidity -> Nullable<BigInt>,
        last_uid -> BigInt,
        uidvalidity_resets -> Integer,
        messages_seen -> BigInt,
        reports_stored -> BigInt,
        reports_duplicate -> BigInt,
        reports_failed -> BigInt,
        messages_rejected -> BigInt,
        polls -> BigInt,
        last_poll_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        last_rejection -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

// Report addresses of the mail intake (storage::intake).
diesel::table! {
    intake_addresses (token) {
        token -> Text,
        tenant_id -> Text,
        domain_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

// Failure reports (migration 2026-12-06-000002_failure_reports).
diesel::table! {
    failure_reports (id) {
        id -> Text,
        tenant_id -> Text,
        domain_id -> Text,
        upload_id -> Nullable<Text>,
        origin -> Text,
        content_hash -> Text,
        privacy -> Text,
        policy_domain -> Text,
        reporter -> Nullable<Text>,
        source_ip -> Nullable<Text>,
        auth_failures -> Text,
        delivery_result -> Nullable<Text>,
        arrival_ts -> BigInt,
        incidents -> BigInt,
        original_mail_from -> Nullable<Text>,
        header_from -> Nullable<Text>,
        report -> Text,
        warnings -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    failure_report_types (report_id, auth_failure) {
        report_id -> Text,
        domain_id -> Text,
        auth_failure -> Text,
        arrival_ts -> BigInt,
        incidents -> BigInt,
    }
}

diesel::table! {
    failure_settings (tenant_id) {
        tenant_id -> Text,
        privacy -> Text,
        hash_key -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    tenant_branding (tenant_id) {
        tenant_id -> Text,
        display_name -> Text,
        logo_format -> Nullable<Text>,
        logo -> Nullable<Binary>,
        primary_color -> Text,
        accent_color -> Text,
        footer_text -> Nullable<Text>,
        support_contact -> Nullable<Text>,
        language -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    domain_daily (domain_id, day) {
        domain_id -> Text,
        tenant_id -> Text,
        day -> BigInt,
        messages -> BigInt,
        dmarc_pass_messages -> BigInt,
        tls_successful -> BigInt,
        tls_failed -> BigInt,
    }
}

diesel::joinable!(failure_report_types -> failure_reports (report_id));

// Scheduled digests (migration 2026-12-07-000003_digests).
diesel::table! {
    digests (id) {
        id -> Text,
        tenant_id -> Text,
        domain_id -> Nullable<Text>,
        recipients -> Text,
        frequency -> Text,
        day -> Integer,
        hour -> Integer,
        time_zone -> Text,
        language -> Nullable<Text>,
        enabled -> Bool,
        next_run_at -> BigInt,
        last_run_at -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    digest_deliveries (id) {
        id -> Text,
        digest_id -> Text,
        tenant_id -> Text,
        trigger -> Text,
        period_from -> BigInt,
        period_to -> BigInt,
        scheduled_for -> BigInt,
        status -> Text,
        attempts -> Integer,
        attempt_log -> Text,
        last_error -> Nullable<Text>,
        next_attempt_at -> Nullable<BigInt>,
        smtp_message_id -> Nullable<Text>,
        smtp_response -> Nullable<Text>,
        sent_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::joinable!(digest_deliveries -> digests (digest_id));

diesel::table! {
    tenant_retention (tenant_id) {
        tenant_id -> Text,
        records_days -> Nullable<BigInt>,
        rollups_days -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    api_keys,
    issued_tokens,
    domains,
    dns_snapshots,
    source_names,
    uploads,
    reports,
    dmarc_records,
    tls_policies,
    tls_failures,
    dmarc_daily,
    dmarc_source_days,
    dmarc_source_months,
    dmarc_auth_days,
    dmarc_auth_months,
    rollup_rebuilds,
    tls_daily,
    jobs,
    issues,
    webhooks,
    webhook_deliveries,
    failure_reports,
    failure_report_types,
    failure_settings,
    mailboxes,
    intake_addresses,
    tenant_branding,
    tenant_retention,
    domain_daily,
    digests,
    digest_deliveries,
);
