/**
 * The filter patterns CIS and AWS publish for the "unauthorized API calls" control,
 * character for character (docs/control.md).
 */
export const CIS_PATTERNS = Object.freeze({
  /** CIS v1.2 3.1; what Security Hub CloudWatch.2 checks for. */
  v12: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  /** The meaning CIS v1.4 intended (exclude S3 log-delivery probes), fully parenthesised. */
  v14Grouped:
    '{(($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")) && (($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}',
  /** CIS v1.4 audit/CLI text: the `||` before the `!=` clauses makes it match almost everything. */
  v14CliText:
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
  /** CIS v4.0 / v5.0: by precedence, the exclusions only apply to the AccessDenied branch. */
  v5: '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
});
