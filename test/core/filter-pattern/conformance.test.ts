import { describe, expect, it } from "vitest";
import { matchesEvent } from "../../../shared/core/filter-pattern/index.ts";

// Conformance cases taken from the worked examples on AWS's filter-pattern pages. Each
// case names the page it comes from.
// CURRENT: the live page (topics: regex syntax, terms, JSON, space-delimited).
const CURRENT = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html";
// EARLIER: the same page's earlier revision, as kept in AWS's archived docs repository.
const EARLIER =
  "https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/blob/master/doc_source/FilterAndPatternSyntax.md";
// TEST_METRIC_FILTER: the TestMetricFilter API reference, whose seven worked examples are
// AWS's own output: each response lists the events that matched, the others did not.
const TEST_METRIC_FILTER =
  "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html";

interface Case {
  page: string;
  pattern: string;
  message: string;
  matches: boolean;
}
const cases: Case[] = [];
const add = (page: string, pattern: string, expectations: Record<string, boolean>) => {
  for (const [message, matches] of Object.entries(expectations)) cases.push({ page, pattern, message, matches });
};

// --- Supported regular expressions (CURRENT#regex-expressions) ---------------------------
add(CURRENT, "%^[hc]at%", { hat: true, cat: true, that: false });
add(CURRENT, "%[hc]at$%", { hat: true, cat: true, hats: false });
add(CURRENT, "%colou?r%", { color: true, colour: true, colr: false });
add(CURRENT, "%[abc]%", { a: true, b: true, xyz: false });
add(CURRENT, "%[a-z]%", { q: true, Q9: false });
add(CURRENT, "%[abcx-z]%", { y: true, d: false });
add(CURRENT, "%a{3,5}%", { aaa: true, aaaa: true, aa: false });
add(CURRENT, "%gra|ey%", { gray: true, grey: true, gruy: false });
add(CURRENT, "%^starting|^initializing|^shutting down%", {
  "starting worker 3": true,
  "initializing cache": true,
  "shutting down": true,
  "skipping initializing cache": false,
});
add(CURRENT, "%\\[.\\]%", { "[a]": true, "[7]": true, "[]]": true, "[ab]": false });
add(CURRENT, "%10\\.10\\.0\\.1%", { "10.10.0.1": true, "10010,051": false });
// The page's warning: an unescaped '.' matches any character.
add(CURRENT, "%10.10.0.1%", { "10010,051": true });
add(CURRENT, "%ab*c%", { ac: true, abc: true, abbbc: true });
add(CURRENT, "%ab[0-9]*%", { ab: true, ab129: true });
add(CURRENT, "%ab+c%", { abc: true, abbc: true, ac: false });
add(CURRENT, "%.at%", { hat: true, "#at": true, " at": true, at: false });
add(CURRENT, "%\\d%", { a1: true, abc: false });
add(CURRENT, "%\\D%", { "12a": true, "123": false });
add(CURRENT, "%\\s%", { "a b": true, ab: false });
add(CURRENT, "%\\S%", { " x ": true, "   ": false });
add(CURRENT, "%\\w%", { _: true, "!?": false });
add(CURRENT, "%\\W%", { "a!": true, abc: false });
add(CURRENT, "%\\x3A%", { "key:value": true, keyvalue: false });
add(CURRENT, "%\\x28%", { "f(x)": true, fx: false });
// Using filter patterns to match terms with a regular expression.
add(CURRENT, "%AUTHORIZED%", {
  "[ERROR 401] UNAUTHORIZED REQUEST": true,
  "[SUCCESS 200] AUTHORIZED REQUEST": true,
  "[ERROR 400] BAD REQUEST": false,
});

// --- Unstructured log events (CURRENT#matching-terms-unstructured-log-events) ------------
const E400 = "[ERROR 400] BAD REQUEST";
const E401 = "[ERROR 401] UNAUTHORIZED REQUEST";
const E419 = "[ERROR 419] MISSING ARGUMENTS";
const E420 = "[ERROR 420] INVALID ARGUMENTS";
const E500 = "[ERROR 500] INTERNAL SERVER ERROR";
add(CURRENT, "ERROR", { [E400]: true, [E401]: true, [E419]: true, [E420]: true, "[INFO] all good": false });
add(CURRENT, "ERROR ARGUMENTS", { [E419]: true, [E420]: true, [E400]: false, [E401]: false });
add(CURRENT, "?ERROR ?ARGUMENTS", {
  [E400]: true,
  [E401]: true,
  [E419]: true,
  [E420]: true,
  "[INFO] REQUEST FAILED": false,
});
// "If you combine ? with other filter patterns, all question mark terms will be ignored."
add(CURRENT, "?ERROR ?ARGUMENTS REQUEST", {
  "[INFO] REQUEST FAILED": true,
  "[WARN] UNAUTHORIZED REQUEST": true,
  "[ERROR] 400 BAD REQUEST": true,
  [E419]: false,
});
add(CURRENT, '"INTERNAL SERVER ERROR"', { [E500]: true, [E400]: false, "INTERNAL ERROR SERVER": false });
add(CURRENT, "ERROR -ARGUMENTS", { [E400]: true, [E401]: true, [E419]: false, [E420]: false });
add(CURRENT, '" "', { [E400]: true, nospaces: true });
// Filter patterns are case sensitive.
add(CURRENT, "error", { [E400]: false });

// Earlier revision of the same examples.
add(EARLIER, '""', { "anything at all": true });
add(EARLIER, "ERROR", { "[ERROR] A fatal exception has occurred": true, "Exiting with ERRORCODE: -1": true });
add(EARLIER, '"ERROR" - "Exiting"', {
  "[ERROR] A fatal exception has occurred": true,
  "Exiting with ERRORCODE: -1": false,
});
add(EARLIER, "ERROR Exception", {
  "[ERROR] Caught IllegalArgumentException": true,
  "[ERROR] Unhandled Exception": true,
  "[ERROR] Unhandled": false,
});
add(EARLIER, "Failed to process the request", {
  "[WARN] Failed to process the request": true,
  "[ERROR] Unable to continue: Failed to process the request": true,
});
const ORS = { "ERROR WARN message": "1", "ERROR message": "2", "WARN message": "3" } as const;
const only = (...wanted: string[]) =>
  Object.fromEntries(Object.entries(ORS).map(([line, n]) => [line, wanted.includes(n)]));
add(EARLIER, "ERROR", only("1", "2"));
add(EARLIER, "?ERROR ?WARN", only("1", "2", "3"));
add(EARLIER, "ERROR WARN", only("1"));
add(EARLIER, "ERROR -WARN", only("2"));
add(EARLIER, "[w1=ERROR, w2]", only("2"));
add(EARLIER, "[w1=ERROR || w1=WARN, w2]", only("2", "3"));
// The pages disagree: the earlier one says `[w1!=ERROR&&w1!=WARN, w2]` "matches lines
// containing both ERROR and WARN (pattern 1)", the current one says the same pattern
// "returns log events where the first words aren't ERROR and WARNING". We follow the
// current page: it is what the operators mean, and pattern 1's first word is ERROR.
add(CURRENT, "[w1!=ERROR&&w1!=WARN, w2]", { ...only(), "INFO message": true });
add(EARLIER, "{$.foo = bar}", { '{"foo": "bar"}': true, '{"foo": "baz"}': false });
add(EARLIER, "{$.foo = baz }", { '{"foo": "bar"}': false, '{"foo": "baz"}': true });
add(EARLIER, "{$.foo = bar || $.foo = baz }", {
  '{"foo": "bar"}': true,
  '{"foo": "baz"}': true,
  '{"foo": "qux"}': false,
});

// --- JSON log events (CURRENT#matching-terms-json-log-events) ----------------------------
const J1 = JSON.stringify({
  eventType: "UpdateTrail",
  sourceIPAddress: "111.111.111.111",
  arrayKey: ["value", "another value"],
  objectList: [
    { name: "a", id: 1 },
    { name: "b", id: 2 },
  ],
  SomeObject: null,
  "cluster.name": "c",
});
const jsonCases: [string, string, boolean][] = [
  [CURRENT, '{ $.eventType = "UpdateTrail" }', true],
  [CURRENT, "{ $.sourceIPAddress != 123.123.* }", true],
  [CURRENT, '{ $.arrayKey[0] = "value" }', true],
  [CURRENT, "{ $.eventType = %Trail% }", true],
  [CURRENT, "{ $.arrayKey[*] = %val.{2}% }", true],
  [CURRENT, "{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }", true],
  [CURRENT, "{ $.['cluster.name'] = \"c\" }", true],
  [CURRENT, "{ $.SomeObject IS NULL }", true],
  [CURRENT, "{ $.SomeOtherObject NOT EXISTS }", true],
  [EARLIER, "{ $.objectList[1].id = 2 }", true],
  // Counterparts that must not match the same event.
  [CURRENT, '{ $.eventType = "updatetrail" }', false],
  [CURRENT, "{ $.sourceIPAddress != 111.111.* }", false],
  [CURRENT, '{ $.arrayKey[1] = "value" }', false],
  [CURRENT, "{ $.* = %222\\.222\\.222% }", false],
  [CURRENT, "{ $.['cluster.name'] = \"d\" }", false],
  [CURRENT, "{ $.eventType IS NULL }", false],
  [CURRENT, "{ $.eventType NOT EXISTS }", false],
  [EARLIER, "{ $.objectList[0].id = 2 }", false],
  // A '*' inside a value is a literal character.
  [EARLIER, "{ $.eventType = Update*ail }", false],
];
for (const [page, pattern, matches] of jsonCases) cases.push({ page, pattern, message: J1, matches });

const FLAGGED = JSON.stringify({ eventType: "UpdateTrail", ThisFlag: true });
add(EARLIER, "{ $.ThisFlag IS TRUE }", {
  [FLAGGED]: true,
  '{"ThisFlag": false}': false,
  '{"ThisFlag": "true"}': false,
});
add(EARLIER, "{ $.ThisFlag IS FALSE }", { [FLAGGED]: false, '{"ThisFlag": false}': true });
// "Ev*ent will only match the actual string Ev*ent."
add(EARLIER, '{ $.name = "*Event" }', { '{"name": "PutEvent"}': true, '{"name": "PutEvents"}': false });
add(EARLIER, '{ $.name = "Event*" }', { '{"name": "EventId"}': true, '{"name": "MyEventId"}': false });
add(EARLIER, '{ $.name = "Ev*ent" }', { '{"name": "Ev*ent"}': true, '{"name": "Evxent"}': false });
// "both {$.users = 1} and {$.users != 1} will fail to match a log event where users is an array"
add(EARLIER, "{$.users = 1}", { '{"users": [1, 2, 3]}': false });
add(EARLIER, "{$.users != 1}", { '{"users": [1, 2, 3]}': false });

const NUMBERS = JSON.stringify({
  bandwidth: 80,
  latency: 40,
  refreshRate: 60,
  responseTime: 5,
  errorCode: 400,
  number: [1000, 0.001],
});
for (const pattern of [
  "{ $.bandwidth > 75 }",
  "{ $.latency < 50 }",
  "{ $.refreshRate >= 60 }",
  "{ $.responseTime <= 5 }",
  "{ $.errorCode = 400}",
  "{ $.errorCode != 500 }",
  "{ $.number[0] = 1e+3 }",
  "{ $.number[0] != 1e-3 }",
]) {
  cases.push({ page: CURRENT, pattern, message: NUMBERS, matches: true });
}
add(CURRENT, "{ $.bandwidth > 75 }", { '{"bandwidth": 75}': false });
add(CURRENT, "{ $.errorCode != 500 }", { '{"errorCode": 500}': false });
const EARLIER_NUMBERS = JSON.stringify({
  latency: 1500,
  numbers: [0.001],
  processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }],
  errorCode: 400,
});
for (const pattern of [
  "{ $.latency >= 500 }",
  "{ $.numbers[0] < 10e3 }",
  "{ $.numbers[0] < 10e-3 }",
  "{ $.processes[4].averageRuntime <= 55.5 }",
  "{ $.errorCode = 400 }",
  "{ $.errorCode != 500 }",
  "{ $.latency > +1000 }",
]) {
  cases.push({ page: EARLIER, pattern, message: EARLIER_NUMBERS, matches: true });
}
add(EARLIER, "{ $.latency = * }", { '{"latency": 12}': true, '{"other": 12}': false });

const J2 = JSON.stringify({
  user: { id: 1, email: "John.Stiles@example.com" },
  users: [
    { id: 2, email: "John.Doe@example.com" },
    { id: 3, email: "Jane.Doe@example.com" },
  ],
  actions: ["GET", "PUT", "DELETE"],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
});
add(CURRENT, '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', { [J2]: true });
add(
  CURRENT,
  '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }',
  { [J2]: true },
);
add(
  CURRENT,
  '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }',
  { [J2]: false },
);
add(CURRENT, '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', { [J2]: false });
add(
  EARLIER,
  '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }',
  { [J2]: true },
);
add(EARLIER, "{ $.coordinates[0][1] = 1 }", { [J2]: true });

// --- Space-delimited log events (CURRENT#matching-term-space-delimited-log-events) -------
const APACHE = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
const APACHE_410 = APACHE.replace(" 404 ", " 410 ");
const APACHE_500 = APACHE.replace(" 404 ", " 500 ");
add(CURRENT, "[ip=%127\\.0\\.0\\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", {
  [APACHE]: true,
  [APACHE.replace("127.0.0.1", "10.0.0.1")]: false,
  [APACHE_500]: false,
});
add(CURRENT, "[..., request =*.html*, status_code = 4*, bytes]", {
  [APACHE]: true,
  [APACHE.replace("index.html", "index.php")]: false,
});
add(CURRENT, "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]", {
  [APACHE]: true,
  [APACHE_410]: true,
  [APACHE_500]: false,
});
const INFO1 = "INFO 09/25/2014 12:00:00 GET /service/resource/67 1200";
const INFO2 = "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310";
const WARN = "WARNING 09/25/2014 12:00:02 Invalid user request";
const ERR = "ERROR 09/25/2014 12:00:02 Failed to process request";
add(CURRENT, "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]", {
  [INFO1]: true,
  [INFO2]: false,
  [WARN]: false,
});
add(CURRENT, "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]", {
  [INFO2]: true,
  [INFO1]: false,
});
// The pages disagree on field counts: the current page introduces `[w1=ERROR, w2]` next
// to the six-word line ERR, while the earlier page says the same pattern matches only the
// two-word "ERROR message". We require the field count to match unless `...` is used: the
// ellipsis ("In cases where you don't know the number of fields") would be pointless
// otherwise.
add(EARLIER, "[w1=ERROR, w2]", { [ERR]: false, "ERROR Failed": true });
add(CURRENT, "[w1=ERROR, ...]", { [ERR]: true, [WARN]: false });
add(CURRENT, "[w1=ERROR || w1=WARNING, ...]", { [ERR]: true, [WARN]: true, [INFO1]: false });

const CLF = [
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
  '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
] as const;
const [CLF1, CLF2] = CLF;
add(EARLIER, "[ip, user, username, timestamp, request, status_code, bytes]", { [CLF1]: true, "too few fields": false });
add(EARLIER, "[..., status_code, bytes]", { [CLF1]: true });
add(EARLIER, "[ip, user, ..., status_code, bytes]", { [CLF1]: true });
add(EARLIER, "[ip, user, ...]", { [CLF1]: true });
add(EARLIER, "[ip, user, username, timestamp, request, status_code, bytes > 1000]", {
  [CLF1]: true,
  [CLF1.replace("1534", "999")]: false,
});
add(EARLIER, "[ip, user, username, timestamp, request, status_code = 200, bytes]", { [CLF1]: true, [CLF2]: false });
add(EARLIER, "[ip, user, username, timestamp, request, status_code = 4*, bytes]", { [CLF1]: false, [APACHE]: true });
add(EARLIER, "[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", {
  [APACHE]: true,
  [CLF1]: false,
});
add(EARLIER, "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]", {
  [APACHE]: true,
  [APACHE.replace(" 404 ", " 403 ")]: false,
});
add(EARLIER, "[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]", {
  [APACHE]: true,
  [APACHE_500]: false,
});
// Extracted-fields example: the trailing comma is a seventh, unnamed field.
add(EARLIER, "[..., request=*.html*, status_code=4*,]", {
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534': true,
});

// --- TestMetricFilter (TEST_METRIC_FILTER, its "Examples" section) ----------------------
// The page's events, verbatim. Examples 1 to 5 share the Apache lines; 6 and 7 the
// application log.
const ACCESS_LOG = [
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
  '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
] as const;
const HTML_LOG = [
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /about-us/index.html HTTP/1.0" 200 5324',
  '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 404 4355',
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /products/index.html HTTP/1.0" 400 1534',
] as const;
const APP_LOG = [
  "02 May 2014 00:34:12,525 [INFO] Starting the application",
  "02 May 2014 00:35:14,245 [DEBUG] Database connection established",
  "02 May 2014 00:34:14,663 [INFO] Executing SQL Query",
  "02 May 2014 00:34:16,142 [ERROR] Unhanded exception: InvalidQueryException",
  "02 May 2014 00:34:16,224 [ERROR] Terminating the application",
] as const;
/** The response's `matches`, as event numbers (0-based indexes into logEventMessages). */
const matchedOnly = (events: readonly string[], ...eventNumbers: number[]) =>
  Object.fromEntries(events.map((event, n) => [event, eventNumbers.includes(n)]));

// Ex. 1, all fields named. The page contradicts itself here, in the extracted values only:
// it gives "$size": "1534," and "5324," with a comma the lines do not have, and "4355"
// without one; examples 2 to 5 extract the same lines' last field as "1534" and "5324". A
// typo: the match outcome (every line) is the same either way, and the engine extracts no
// values.
add(
  TEST_METRIC_FILTER,
  "[ip, identity, user_id, timestamp, request, status_code, size]",
  matchedOnly(ACCESS_LOG, 0, 1, 2),
);
// Ex. 2, "without specifying all the fields": the ellipsis stands for $1 to $6.
add(TEST_METRIC_FILTER, "[..., size]", matchedOnly(ACCESS_LOG, 0, 1, 2));
// Ex. 3, "without specifying any fields": `[]` matches every line, split into $1 to $7.
// The engine used to read `[]` as a list of one empty field and matched none of these
// lines; AWS's response is its own output, so `[]` is now no field list, which fixes no
// number of fields (docs/filter-patterns.md, "Where AWS's pages disagree").
add(TEST_METRIC_FILTER, "[]", matchedOnly(ACCESS_LOG, 0, 1, 2));
// Ex. 4, successful requests.
add(TEST_METRIC_FILTER, "[..., status_code=200, size]", matchedOnly(ACCESS_LOG, 0, 2));
// Ex. 5, 4XX responses for HTML pages: `*` at both ends of a value, and the trailing comma
// is a seventh, unnamed field (the response extracts it as $7). The request body as printed
// ends its logEventMessages array with a comma, which is not valid JSON; the events are
// taken as listed.
add(TEST_METRIC_FILTER, "[..., request=*.html*, status_code=4*,]", matchedOnly(HTML_LOG, 0, 3));
// Ex. 6, a quoted term: the brackets are literal characters of the phrase.
add(TEST_METRIC_FILTER, '"[ERROR]"', matchedOnly(APP_LOG, 3, 4));
// Ex. 7, two terms, both required, case-sensitive substrings: "Exception" is found inside
// "InvalidQueryException", and event 4 has no "Exception".
add(TEST_METRIC_FILTER, '"[ERROR]" Exception', matchedOnly(APP_LOG, 3));

// --- The earlier page's numeric forms, written the other way round ----------------------
// The earlier revision lists `{ $.number[0] = 1e-3 }` and `{ $.number[0] != 1e+3 }` (the
// current one has `= 1e+3` and `!= 1e-3`, above), with no event: here, one they hold for.
add(EARLIER, "{ $.number[0] = 1e-3 }", { '{"number":[0.001]}': true, '{"number":[1000]}': false });
add(EARLIER, "{ $.number[0] != 1e+3 }", { '{"number":[0.001]}': true, '{"number":[1000]}': false });

describe("conformance with the worked examples on AWS's filter-pattern pages", () => {
  it("has at least 100 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)("$pattern on $message → $matches ($page)", ({ pattern, message, matches }) => {
    expect(matchesEvent(pattern, message)).toBe(matches);
  });
});
