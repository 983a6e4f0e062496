# Documents: domain report, single report. English is the reference catalog: every other
# language has exactly these keys (a test checks it).

## How numbers and dates are written

format-thousands-separator = {","}
format-decimal-separator = {"."}
format-percent = { $value } %
format-date = { $day } { $month } { $year }
format-date-time = { $date }, { $time } UTC
format-short-date = { $day } { $month }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
value-none = –
value-not-reported = not reported

## Page frame

footer-support = Questions? Contact { $contact }.
footer-generated = Made on { $date } by { $brand }.
period = { $from } to { $to } ({ $days ->
    [one] 1 day
   *[other] { $days } days
})
file-domain-report = domain-report
file-report = report

## Domain report

domain-report-title = Email authentication report for { $domain }
section-summary = Summary
figure-messages = Messages
figure-dmarc-pass-rate = DMARC pass rate
figure-policy = Published policy
figure-tls-success-rate = TLS success rate
summary-policy = Receivers found this DMARC policy: { $record }.
summary-no-policy = No report of this period states the DMARC policy the domain publishes.
summary-no-reports = No report arrived for this period. If you expected some, check that the domain's DMARC and TLS-RPT records still send reports here.
policy-none = monitor only (none)
policy-quarantine = quarantine
policy-reject = reject
change-against-previous = { $change } against the previous { $days ->
    [one] day
   *[other] { $days } days
}
change-points-against-previous = { $change } points against the previous { $days ->
    [one] day
   *[other] { $days } days
}

section-trend = Daily trend
chart-trend-title = Messages per day, passing and failing DMARC
chart-series-pass = DMARC pass
chart-series-fail = DMARC fail
chart-trend-description = Bar chart of messages per day, split into those that passed and those that failed DMARC; the busiest day had { $max } messages.

section-dmarc-results = DMARC by result
table-dmarc-results = Messages by DMARC result, disposition and aligned authentication
result-dmarc-pass = DMARC passed
result-dmarc-fail = DMARC failed
result-disposition = Disposition: { $value }
result-dkim-aligned = Aligned DKIM: { $value }
result-spf-aligned = Aligned SPF: { $value }
disposition-none = delivered (none)
disposition-quarantine = quarantined
disposition-reject = rejected
result-pass = pass
result-fail = fail
column-result = Result
column-messages = Messages
column-share = Share
table-empty = Nothing was reported.

section-sources = Sending sources and services
table-sources = { $count ->
    [one] The sending source, by volume
   *[other] All { $countText } sending sources, by volume
}
table-more-sources = … and { $countText } more { $count ->
    [one] source
   *[other] sources
} carrying { $messages } messages.
table-more-rows = … and { $countText } more { $count ->
    [one] row
   *[other] rows
}.
table-empty-sources = No sending source was reported.
column-source = Source address
column-name = Name
column-dmarc-pass = DMARC pass
column-dkim-domain = DKIM domain
column-spf-domain = SPF domain
column-category = Category
category-unknown = unknown
category-forwarder = forwarder
category-email-provider = email provider
category-marketing = marketing
category-transactional = transactional mail
category-crm = CRM
category-support = helpdesk
category-security-gateway = security gateway
category-forwarder-mailing-list = forwarder or mailing list
category-hosting = hosting
category-other = other service
table-services = Sources grouped by sending service
group-unconfirmed = Addresses without confirmed name
group-pending = Not yet looked up
column-service = Service
column-sources = Sources

section-tls = SMTP TLS
figure-tls-sessions = TLS sessions
figure-tls-successful = Successful sessions
figure-tls-failed = Failed sessions
table-tls-result-types = Failed sessions by result type
column-result-type = Result type
column-failed-sessions = Failed sessions
table-empty-tls-failures = No failed session was reported.
table-tls-organizations = Sessions by reporting organization
column-organization = Reporting organization
column-successful-sessions = Successful sessions
column-success-rate = Success rate
table-empty-tls = No TLS report arrived for this period.
table-tls-failures = Failures by sending server and receiving MX
column-sending-mta = Sending server
column-receiving-mx = Receiving MX

section-issues = Open issues
issues-none = No open issue: nothing needs your attention.
issues-more = More open issues are listed in the issue overview.
severity-critical = critical
severity-high = high
severity-medium = medium
severity-low = low
severity-info = information
issue-remediation = What to do:
issue-record = Record to publish:

section-readiness = Enforcement readiness
readiness-next-step = Next step
readiness-step-no-data = No DMARC report covers the period
readiness-step-fix-services-first = Fix your own services before enforcing
readiness-step-review-unknown-sources = Find out whose failing mail it is before enforcing
readiness-step-quarantine = Ready for p=quarantine
readiness-step-reject = Ready for p=reject
readiness-step-reject-subdomains = Protect the subdomains too (they are at { $sp })
readiness-step-enforced = Fully enforced: p=reject on the domain and its subdomains
readiness-summary = Of { $messagesText } { $messages ->
    [one] message
   *[other] messages
}, { $failing } failed DMARC. Of those, p=quarantine would have affected { $quarantine } that receivers did not already quarantine or reject, and p=reject { $reject } that they did not already reject.
readiness-do-no-data = Check that the domain's DMARC record sends aggregate reports (rua=) here.
readiness-do-fix-services-first = Keep the current policy. Set up DKIM signing with your own domain (and SPF where it helps) in each service marked below, then check again.
readiness-do-review-unknown-sources = Keep the current policy. Too much mail fails DMARC from senders no service was recognised for: look at the biggest unknown sources in the sources section. Add a server of yours to SPF or have it sign with DKIM; whatever is not yours is what enforcement would stop.
readiness-do-quarantine = Publish p=quarantine, watch the reports for a few weeks for legitimate mail that fails, then move to p=reject.
readiness-do-reject = Publish p=reject, so failing mail is refused instead of delivered to the spam folder.
readiness-do-reject-subdomains = Publish sp=reject (or remove sp=, so subdomains take p=reject).
readiness-do-enforced = Nothing to publish. Keep watching the reports for new sending services.
table-readiness = Failing messages a stricter policy would have affected, by sender
column-sender = Sender
column-if-quarantine = Under p=quarantine
column-if-reject = Under p=reject
readiness-row-services = Your named services
readiness-row-forwarders = Forwarders and mailing lists
readiness-row-unknown = Unknown sources
readiness-row-total = Total
readiness-forwarders = Forwarders and mailing lists carried { $failing } failing messages: receivers already accepted { $saved } of them as forwarded; the other { $dkim } arrive only if the original DKIM signature survives the forwarding, so sign all mail with DKIM.
table-services-to-fix = Your services with mail failing DMARC
column-failing-messages = Failing
column-failing-share = Failing share
column-blocks-next-step = Blocks the next step
value-yes = yes
value-no = no

section-dns = DNS checks
dns-none = The domain's DNS records have not been checked yet.
dns-no-findings = no findings
dns-no-record = no record found
dns-check = Checked { $date }: { $verdict }. Record: { $record }
finding-error = errors
finding-warning = warnings
finding-info = notes

## Single report

dmarc-report-title = DMARC aggregate report from { $reporter }
tls-report-title = SMTP TLS report from { $reporter }
single-report-subtitle = About { $domain }, { $period }
report-period = { $from } to { $to }
section-report-details = Report details
meta-reporter = Reporting organization
meta-contact = Contact
meta-report-id = Report ID
meta-period = Period
meta-domain = Domain
meta-policy = Published policy
meta-messages = Messages
meta-reporter-error = Error stated by the reporter
section-records = Records
table-records = { $count ->
    [one] The report's record
   *[other] The report's { $countText } records
}
column-disposition = Disposition
column-dkim-aligned = Aligned DKIM
column-spf-aligned = Aligned SPF
column-header-from = From domain
section-tls-policies = Policies and sessions
table-tls-policies = Sessions per policy
column-policy-type = Policy type
column-policy-domain = Policy domain
column-policy-mode = Mode
column-mx = MX hosts
table-tls-failure-details = Failure details
column-receiving-ip = Receiving address
column-reason = Reason
section-warnings = Reading the report
warnings-none = The report was read exactly as sent: no correction was needed.
warning-occurrence = { $count ->
    [one] once
   *[other] { $countText } times
}, at { $path }

## Portfolio

portfolio-title = Portfolio of { $brand }
file-portfolio = portfolio
figure-domains = Domains
figure-needing-attention = Needing attention
section-domains = Domains
table-domains = Every domain, those needing attention first
table-empty-domains = No domain is registered yet.
column-domain = Domain
column-policy = Policy
column-issues = Open issues
portfolio-issues = { $urgent } critical or high, { $other } other
column-last-report = Last report received
column-attention = Needs attention because
value-not-checked = not checked
value-never = never
attention-critical-issue = a critical or high issue is open
attention-no-dmarc-policy = no DMARC record
attention-policy-none = policy is none
attention-low-pass-rate = low DMARC pass rate
attention-no-recent-report = no recent report
