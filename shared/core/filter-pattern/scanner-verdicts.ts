import { CIS_PATTERNS } from "./cis-patterns.ts";

export type ScannerVerdict = "PASS" | "FAIL";

export interface ScannerVerdicts {
  securityHub: ScannerVerdict;
  steampipe: ScannerVerdict;
  prowler: ScannerVerdict;
}

// Steampipe / Powerpipe aws_compliance, query behind cis_v140_4_1 (and its v1.2 … v6.0
// siblings): a PostgreSQL `~` match, where '.' also matches newlines.
const STEAMPIPE =
  /\$\.errorCode\s*=\s*"\*UnauthorizedOperation".+\$\.errorCode\s*=\s*"AccessDenied\*".+\$\.sourceIPAddress\s*!=\s*"delivery.logs.amazonaws.com".+\$\.eventName\s*!=\s*"HeadBucket"/s;

// Prowler cloudwatch_log_metric_filter_unauthorized_api_calls: re.search(..., re.DOTALL).
const PROWLER = /\$\.errorCode\s*=\s*.?\*UnauthorizedOperation.+\$\.errorCode\s*=\s*.?AccessDenied\*.?/s;

// Security Hub CloudWatch.2 "fails if the exact metric filters prescribed by CIS are not
// used. Additional fields or terms cannot be added to the metric filters."
// https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-2
// AWS prints the prescribed filter with spaces (CIS v1.2 text) and, in the same control's
// remediation steps, without them; a check that rejected either would fail its own
// instructions. So we read "exact" as: the same tokens in the same order and grouping,
// whitespace outside quoted values ignored. Reordered clauses, extra clauses or other
// quoting fail.
const SECURITY_HUB_CANONICAL = stripWhitespaceOutsideQuotes(CIS_PATTERNS.v12);

/** Patterns repeat across accounts (most are CIS's own text): each is judged once. */
const cache = new Map<string, Readonly<ScannerVerdicts>>();
const CACHE_LIMIT = 1000;

/**
 * What each scanner would conclude about the filter pattern text alone (trail, alarm and
 * topic checks aside), from their published logic. Shows where scanners and CloudWatch
 * Logs' real matching part ways. Memoized by pattern text; the result is frozen.
 */
export function scannerVerdicts(pattern: string): Readonly<ScannerVerdicts> {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const verdicts = Object.freeze({
    securityHub: stripWhitespaceOutsideQuotes(pattern) === SECURITY_HUB_CANONICAL ? "PASS" : "FAIL",
    steampipe: STEAMPIPE.test(pattern) ? "PASS" : "FAIL",
    prowler: PROWLER.test(pattern) ? "PASS" : "FAIL",
  } as const);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, verdicts);
  return verdicts;
}

function stripWhitespaceOutsideQuotes(text: string): string {
  let out = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted && c === "\\" && i + 1 < text.length) {
      out += c + text.charAt(++i);
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && /\s/.test(c)) continue;
    out += c;
  }
  return out;
}
