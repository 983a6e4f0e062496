"""Contains all the data models used in inputs/outputs"""

from .after_kind import AfterKind
from .aggregate_header import AggregateHeader
from .aggregate_report import AggregateReport
from .aggregate_schema import AggregateSchema
from .alignment import Alignment
from .answered_from import AnsweredFrom
from .api_key_list_response import ApiKeyListResponse
from .api_key_response import ApiKeyResponse
from .attention_reason import AttentionReason
from .auth_domain_count import AuthDomainCount
from .auth_results import AuthResults
from .auth_type import AuthType
from .authorization_record import AuthorizationRecord
from .auto_register_response import AutoRegisterResponse
from .bimi_input import BimiInput
from .branding_response import BrandingResponse
from .category import Category
from .check_kind import CheckKind
from .check_report import CheckReport
from .check_report_details import CheckReportDetails
from .check_report_parsed_type_0 import CheckReportParsedType0
from .counts import Counts
from .create_api_key_request import CreateApiKeyRequest
from .create_digest_request import CreateDigestRequest
from .create_domain_request import CreateDomainRequest
from .create_mailbox_request import CreateMailboxRequest
from .create_tenant_request import CreateTenantRequest
from .create_token_request import CreateTokenRequest
from .create_webhook_request import CreateWebhookRequest
from .created_api_key_response import CreatedApiKeyResponse
from .date_range import DateRange
from .delivery_list_response import DeliveryListResponse
from .delivery_response import DeliveryResponse
from .delivery_response_payload import DeliveryResponsePayload
from .delivery_status import DeliveryStatus
from .digest_attempt import DigestAttempt
from .digest_delivery_list_response import DigestDeliveryListResponse
from .digest_delivery_response import DigestDeliveryResponse
from .digest_delivery_status import DigestDeliveryStatus
from .digest_frequency import DigestFrequency
from .digest_list_response import DigestListResponse
from .digest_response import DigestResponse
from .direction import Direction
from .dkim_auth import DkimAuth
from .dkim_input import DkimInput
from .dkim_key_type import DkimKeyType
from .dmarc_by_result_response import DmarcByResultResponse
from .dmarc_by_service_response import DmarcByServiceResponse
from .dmarc_by_source_response import DmarcBySourceResponse
from .dmarc_field import DmarcField
from .dmarc_filter import DmarcFilter
from .dmarc_input import DmarcInput
from .dmarc_metric import DmarcMetric
from .dmarc_order import DmarcOrder
from .dmarc_policy import DmarcPolicy
from .dmarc_query_request import DmarcQueryRequest
from .dmarc_record import DmarcRecord
from .dmarc_service_response import DmarcServiceResponse
from .dmarc_source_response import DmarcSourceResponse
from .dns_snapshot_list_response import DnsSnapshotListResponse
from .dns_snapshot_response import DnsSnapshotResponse
from .domain_intake_response import DomainIntakeResponse
from .domain_list_response import DomainListResponse
from .domain_records_response import DomainRecordsResponse
from .domain_response import DomainResponse
from .enforcement_readiness_response import EnforcementReadinessResponse
from .error_code import ErrorCode
from .evaluate_issues_response import EvaluateIssuesResponse
from .evaluation import Evaluation
from .event import Event
from .export_format import ExportFormat
from .failure_count_response import FailureCountResponse
from .failure_list_response import FailureListResponse
from .failure_option import FailureOption
from .failure_privacy import FailurePrivacy
from .failure_report import FailureReport
from .failure_report_received import FailureReportReceived
from .failure_response import FailureResponse
from .failure_settings_response import FailureSettingsResponse
from .failure_summary_response import FailureSummaryResponse
from .filter_op import FilterOp
from .finding import Finding
from .forwarder_figures import ForwarderFigures
from .generated import Generated
from .group_key import GroupKey
from .group_metrics import GroupMetrics
from .header_field import HeaderField
from .header_from_count import HeaderFromCount
from .health_response import HealthResponse
from .identifiers import Identifiers
from .intake_records_response import IntakeRecordsResponse
from .intake_response import IntakeResponse
from .issue_code import IssueCode
from .issue_list_response import IssueListResponse
from .issue_response import IssueResponse
from .issue_response_evidence import IssueResponseEvidence
from .issue_severity import IssueSeverity
from .issue_severity_counts import IssueSeverityCounts
from .issue_status import IssueStatus
from .list_portfolio_order import ListPortfolioOrder
from .list_portfolio_sort import ListPortfolioSort
from .logo_data import LogoData
from .logo_format_name import LogoFormatName
from .mailbox_after import MailboxAfter
from .mailbox_auth import MailboxAuth
from .mailbox_auth_request import MailboxAuthRequest
from .mailbox_list_response import MailboxListResponse
from .mailbox_response import MailboxResponse
from .mailbox_status import MailboxStatus
from .matched_by import MatchedBy
from .mta_sts_input import MtaStsInput
from .mta_sts_mode import MtaStsMode
from .o_auth_mechanism import OAuthMechanism
from .original_message import OriginalMessage
from .override_reason import OverrideReason
from .policy_effect import PolicyEffect
from .policy_evaluated import PolicyEvaluated
from .policy_published import PolicyPublished
from .portfolio_response import PortfolioResponse
from .portfolio_row import PortfolioRow
from .problem import Problem
from .psd import Psd
from .publish_file import PublishFile
from .publish_record import PublishRecord
from .published_policy import PublishedPolicy
from .put_branding_request import PutBrandingRequest
from .put_retention_request import PutRetentionRequest
from .query import Query
from .query_group import QueryGroup
from .query_response import QueryResponse
from .readiness import Readiness
from .recommendation import Recommendation
from .record_item import RecordItem
from .report_files import ReportFiles
from .report_kind import ReportKind
from .report_list_response import ReportListResponse
from .report_metadata import ReportMetadata
from .report_received import ReportReceived
from .report_records_response import ReportRecordsResponse
from .report_response import ReportResponse
from .report_summary import ReportSummary
from .reporter_info import ReporterInfo
from .retention_response import RetentionResponse
from .retention_setting import RetentionSetting
from .reverse_dns_response import ReverseDnsResponse
from .role import Role
from .run_domain_checks_request import RunDomainChecksRequest
from .service_match import ServiceMatch
from .service_to_fix import ServiceToFix
from .severity import Severity
from .spf_auth import SpfAuth
from .spf_evaluate_request import SpfEvaluateRequest
from .spf_input import SpfInput
from .spf_result import SpfResult
from .step import Step
from .subdomain_figures import SubdomainFigures
from .suggested_record import SuggestedRecord
from .tenant_list_response import TenantListResponse
from .tenant_response import TenantResponse
from .timeseries_interval import TimeseriesInterval
from .timeseries_kind import TimeseriesKind
from .timeseries_point import TimeseriesPoint
from .timeseries_response import TimeseriesResponse
from .tls_by_result_response import TlsByResultResponse
from .tls_by_source_response import TlsBySourceResponse
from .tls_date_range import TlsDateRange
from .tls_failure_detail import TlsFailureDetail
from .tls_failure_path_response import TlsFailurePathResponse
from .tls_field import TlsField
from .tls_filter import TlsFilter
from .tls_metric import TlsMetric
from .tls_mode import TlsMode
from .tls_order import TlsOrder
from .tls_organization_response import TlsOrganizationResponse
from .tls_policy import TlsPolicy
from .tls_policy_result import TlsPolicyResult
from .tls_query_request import TlsQueryRequest
from .tls_report import TlsReport
from .tls_report_extensions import TlsReportExtensions
from .tls_rpt_input import TlsRptInput
from .token_response import TokenResponse
from .unknown_figures import UnknownFigures
from .update_digest_request import UpdateDigestRequest
from .update_failure_settings_request import UpdateFailureSettingsRequest
from .update_intake_request import UpdateIntakeRequest
from .update_issue_request import UpdateIssueRequest
from .update_mailbox_request import UpdateMailboxRequest
from .update_tenant_request import UpdateTenantRequest
from .update_webhook_request import UpdateWebhookRequest
from .upload_error import UploadError
from .upload_response import UploadResponse
from .uploaded_report import UploadedReport
from .warning import Warning_
from .warning_code import WarningCode
from .webhook_event import WebhookEvent
from .webhook_event_data import WebhookEventData
from .webhook_list_response import WebhookListResponse
from .webhook_response import WebhookResponse
from .webhook_secret_response import WebhookSecretResponse
from .xml_element import XmlElement

__all__ = (
    "AfterKind",
    "AggregateHeader",
    "AggregateReport",
    "AggregateSchema",
    "Alignment",
    "AnsweredFrom",
    "ApiKeyListResponse",
    "ApiKeyResponse",
    "AttentionReason",
    "AuthDomainCount",
    "AuthResults",
    "AuthType",
    "AuthorizationRecord",
    "AutoRegisterResponse",
    "BimiInput",
    "BrandingResponse",
    "Category",
    "CheckKind",
    "CheckReport",
    "CheckReportDetails",
    "CheckReportParsedType0",
    "Counts",
    "CreateApiKeyRequest",
    "CreateDigestRequest",
    "CreateDomainRequest",
    "CreateMailboxRequest",
    "CreateTenantRequest",
    "CreateTokenRequest",
    "CreateWebhookRequest",
    "CreatedApiKeyResponse",
    "DateRange",
    "DeliveryListResponse",
    "DeliveryResponse",
    "DeliveryResponsePayload",
    "DeliveryStatus",
    "DigestAttempt",
    "DigestDeliveryListResponse",
    "DigestDeliveryResponse",
    "DigestDeliveryStatus",
    "DigestFrequency",
    "DigestListResponse",
    "DigestResponse",
    "Direction",
    "DkimAuth",
    "DkimInput",
    "DkimKeyType",
    "DmarcByResultResponse",
    "DmarcByServiceResponse",
    "DmarcBySourceResponse",
    "DmarcField",
    "DmarcFilter",
    "DmarcInput",
    "DmarcMetric",
    "DmarcOrder",
    "DmarcPolicy",
    "DmarcQueryRequest",
    "DmarcRecord",
    "DmarcServiceResponse",
    "DmarcSourceResponse",
    "DnsSnapshotListResponse",
    "DnsSnapshotResponse",
    "DomainIntakeResponse",
    "DomainListResponse",
    "DomainRecordsResponse",
    "DomainResponse",
    "EnforcementReadinessResponse",
    "ErrorCode",
    "EvaluateIssuesResponse",
    "Evaluation",
    "Event",
    "ExportFormat",
    "FailureCountResponse",
    "FailureListResponse",
    "FailureOption",
    "FailurePrivacy",
    "FailureReport",
    "FailureReportReceived",
    "FailureResponse",
    "FailureSettingsResponse",
    "FailureSummaryResponse",
    "FilterOp",
    "Finding",
    "ForwarderFigures",
    "Generated",
    "GroupKey",
    "GroupMetrics",
    "HeaderField",
    "HeaderFromCount",
    "HealthResponse",
    "Identifiers",
    "IntakeRecordsResponse",
    "IntakeResponse",
    "IssueCode",
    "IssueListResponse",
    "IssueResponse",
    "IssueResponseEvidence",
    "IssueSeverity",
    "IssueSeverityCounts",
    "IssueStatus",
    "ListPortfolioOrder",
    "ListPortfolioSort",
    "LogoData",
    "LogoFormatName",
    "MailboxAfter",
    "MailboxAuth",
    "MailboxAuthRequest",
    "MailboxListResponse",
    "MailboxResponse",
    "MailboxStatus",
    "MatchedBy",
    "MtaStsInput",
    "MtaStsMode",
    "OAuthMechanism",
    "OriginalMessage",
    "OverrideReason",
    "PolicyEffect",
    "PolicyEvaluated",
    "PolicyPublished",
    "PortfolioResponse",
    "PortfolioRow",
    "Problem",
    "Psd",
    "PublishFile",
    "PublishRecord",
    "PublishedPolicy",
    "PutBrandingRequest",
    "PutRetentionRequest",
    "Query",
    "QueryGroup",
    "QueryResponse",
    "Readiness",
    "Recommendation",
    "RecordItem",
    "ReportFiles",
    "ReportKind",
    "ReportListResponse",
    "ReportMetadata",
    "ReportReceived",
    "ReportRecordsResponse",
    "ReportResponse",
    "ReportSummary",
    "ReporterInfo",
    "RetentionResponse",
    "RetentionSetting",
    "ReverseDnsResponse",
    "Role",
    "RunDomainChecksRequest",
    "ServiceMatch",
    "ServiceToFix",
    "Severity",
    "SpfAuth",
    "SpfEvaluateRequest",
    "SpfInput",
    "SpfResult",
    "Step",
    "SubdomainFigures",
    "SuggestedRecord",
    "TenantListResponse",
    "TenantResponse",
    "TimeseriesInterval",
    "TimeseriesKind",
    "TimeseriesPoint",
    "TimeseriesResponse",
    "TlsByResultResponse",
    "TlsBySourceResponse",
    "TlsDateRange",
    "TlsFailureDetail",
    "TlsFailurePathResponse",
    "TlsField",
    "TlsFilter",
    "TlsMetric",
    "TlsMode",
    "TlsOrder",
    "TlsOrganizationResponse",
    "TlsPolicy",
    "TlsPolicyResult",
    "TlsQueryRequest",
    "TlsReport",
    "TlsReportExtensions",
    "TlsRptInput",
    "TokenResponse",
    "UnknownFigures",
    "UpdateDigestRequest",
    "UpdateFailureSettingsRequest",
    "UpdateIntakeRequest",
    "UpdateIssueRequest",
    "UpdateMailboxRequest",
    "UpdateTenantRequest",
    "UpdateWebhookRequest",
    "UploadError",
    "UploadResponse",
    "UploadedReport",
    "WarningCode",
    "Warning_",
    "WebhookEvent",
    "WebhookEventData",
    "WebhookListResponse",
    "WebhookResponse",
    "WebhookSecretResponse",
    "XmlElement",
)
