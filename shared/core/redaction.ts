/**
 * Redaction (pure) for what leaves tripwire as evidence: an auditor needs to see that a topic
 * has a confirmed email or webhook subscriber, not whom it pages or the webhook's secret path.
 *
 * - An email address keeps its first character and its domain: `s***@example.com` (wherever
 *   it appears: a subscription endpoint, a role session name in an ARN, a description).
 * - An http(s) URL keeps its scheme and host: `https://hooks.example.com/***` (a webhook's
 *   path and query often hold its token). URLs given in `keep` (the runbook link tripwire
 *   publishes on purpose) stay whole.
 * - An SMS subscription's phone number keeps its last two digits: `+*********67`.
 * - SQS and Lambda ARNs, account ids and AWS resource ARNs are not personal data: kept.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
const URL_OR_EMAIL = new RegExp(`\\bhttps?://[^\\s"'<>]+|${EMAIL.source}`, "gi");

export interface RedactionOptions {
  /** Exact URLs that are published on purpose and stay whole. */
  readonly keep?: readonly string[];
}

/** An email address as `f***@domain`. */
export function redactEmail(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 1 ? address : `${address[0]}***${address.slice(at)}`;
}

/** A URL as its scheme and host, `https://host/***` when it had more. */
export function redactUrl(url: string): string {
  const m = /^(https?:\/\/)([^/?#\s]*)(.*)$/i.exec(url);
  if (!m) return url;
  const host = (m[2] ?? "").replace(/^[^@]*@/, ""); // user info, if any, is dropped
  return m[3] && m[3] !== "/" ? `${m[1]}${host}/***` : `${m[1]}${host}${m[3] ?? ""}`;
}

/** One text with its email addresses and URLs redacted. */
export function redactText(text: string, options: RedactionOptions = {}): string {
  const keep = new Set(options.keep ?? []);
  // One pass over URLs and addresses: a URL is taken whole, so an address inside a kept URL stays.
  return text.replace(URL_OR_EMAIL, (match) => {
    if (!/^https?:\/\//i.test(match)) return redactEmail(match);
    // A sentence's full stop or a closing bracket is not part of the link.
    const url = match.replace(/[.,;:)\]]+$/, "");
    const tail = match.slice(url.length);
    return `${keep.has(url) ? url : redactUrl(url).replace(EMAIL, (e) => redactEmail(e))}${tail}`;
  });
}

/** A phone number with all but its leading `+` and last two digits hidden. */
export function redactPhone(number: string): string {
  return number.replace(/\d(?=\d{2})/g, "*");
}

/**
 * A JSON-like value with every string (keys included) redacted; Dates become their ISO text.
 * A subscription (`Protocol`/`protocol` "sms" beside `Endpoint`/`endpoint`) has its phone
 * number redacted too.
 */
export function redactDeep<T>(value: T, options: RedactionOptions = {}): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactText(v, options);
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const record = v as Record<string, unknown>;
      const sms = record.Protocol === "sms" || record.protocol === "sms";
      return Object.fromEntries(
        Object.entries(record).map(([k, x]) => [
          redactText(k, options),
          sms && (k === "Endpoint" || k === "endpoint") && typeof x === "string" ? redactPhone(x) : walk(x),
        ]),
      );
    }
    return v;
  };
  return walk(value) as T;
}
