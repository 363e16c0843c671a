import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadSettings, parseNotify } from "../../shared/config/settings.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function configFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tripwire-"));
  dirs.push(dir);
  const path = join(dir, "tripwire.json");
  writeFileSync(path, content);
  return path;
}

describe("loadSettings", () => {
  it("applies the documented defaults when nothing is set", () => {
    const s = loadSettings({ env: {} });
    expect(s).toMatchObject({
      roleName: "OrganizationAccountAccessRole",
      prefix: "tripwire",
      filterProfile: "all",
      concurrency: 10,
      homeRegion: "us-east-1",
      dryRun: false,
      json: false,
      notify: [],
      excludeAccounts: [],
    });
    expect(s.regions).toBeUndefined();
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(loadSettings({ env: {} }))).toBe(true);
  });

  it("prefers the command line over the environment, and the environment over the file", () => {
    const file = configFile(JSON.stringify({ prefix: "fromfile", roleName: "FileRole", concurrency: 3 }));
    const s = loadSettings({
      cli: { prefix: "fromcli" },
      env: { TRIPWIRE_PREFIX: "fromenv", TRIPWIRE_ROLE_NAME: "EnvRole" },
      configFile: file,
    });
    expect(s.prefix).toBe("fromcli");
    expect(s.roleName).toBe("EnvRole");
    expect(s.concurrency).toBe(3);
  });

  it("reads the config file named by TRIPWIRE_CONFIG", () => {
    const file = configFile(JSON.stringify({ regions: ["eu-west-1", "us-east-1"] }));
    expect(loadSettings({ env: { TRIPWIRE_CONFIG: file } }).regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("splits comma-separated lists and drops duplicates of regions", () => {
    expect(loadSettings({ cli: { regions: "eu-west-1, eu-west-1,us-east-2" } }).regions).toEqual([
      "eu-west-1",
      "us-east-2",
    ]);
  });

  it("names the command-line option in the error for a bad region", () => {
    expect(() => loadSettings({ cli: { regions: "eu-west" } })).toThrow(
      /invalid --regions: "eu-west" is not a region name/,
    );
  });

  it("names the environment variable in the error for a bad account id", () => {
    expect(() => loadSettings({ env: { TRIPWIRE_ACCOUNTS: "12345" } })).toThrow(
      /invalid TRIPWIRE_ACCOUNTS: "12345" is not a 12-digit account id/,
    );
  });

  it("names the file and key in the error for a bad filter profile from the file", () => {
    const file = configFile(JSON.stringify({ filterProfile: "cis-v9" }));
    expect(() => loadSettings({ configFile: file })).toThrow(
      /"filterProfile" in .*tripwire.json.*securityhub, cis-v1.4, all/,
    );
  });

  it("rejects an unknown key in the config file", () => {
    const file = configFile(JSON.stringify({ regoins: ["eu-west-1"] }));
    expect(() => loadSettings({ configFile: file })).toThrow(/unknown setting "regoins"/);
  });

  it("rejects a config file that is not JSON", () => {
    expect(() => loadSettings({ configFile: configFile("regions: eu-west-1") })).toThrow(/is not valid JSON/);
  });

  it("rejects a concurrency outside 1..500", () => {
    expect(() => loadSettings({ cli: { concurrency: "0" } })).toThrow(
      /--concurrency: "0" is not a whole number from 1 to 500/,
    );
  });

  it("throws ConfigError, not a generic error", () => {
    expect(() => loadSettings({ cli: { prefix: "9lives" } })).toThrow(ConfigError);
  });

  it("takes the member role as not dedicated to tripwire unless told", () => {
    expect(loadSettings({ env: {} }).dedicatedRole).toBe(false);
  });

  it.each([
    ["TRIPWIRE_DEDICATED_ROLE", () => ({ env: { TRIPWIRE_DEDICATED_ROLE: "true" } })],
    ["--dedicated-role", () => ({ cli: { dedicatedRole: true }, env: {} })],
    ["the file key dedicatedRole", () => ({ configFile: configFile('{"dedicatedRole": true}'), env: {} })],
  ])("reads dedicatedRole from %s", (_from, sources) => {
    expect(loadSettings(sources()).dedicatedRole).toBe(true);
  });

  it("reads TRIPWIRE_DRY_RUN=true as a boolean", () => {
    expect(loadSettings({ env: { TRIPWIRE_DRY_RUN: "true" } }).dryRun).toBe(true);
  });
});

describe("parseNotify", () => {
  it("accepts an email endpoint", () => {
    expect(parseNotify("email:secops@example.com")).toEqual({ protocol: "email", endpoint: "secops@example.com" });
  });

  it("accepts an SQS queue ARN", () => {
    expect(parseNotify("sqs:arn:aws:sqs:eu-west-1:111111111111:alerts").protocol).toBe("sqs");
  });

  it("rejects an unknown protocol", () => {
    expect(() => parseNotify("sms:+15555550100")).toThrow(/protocol one of email, https, sqs, lambda/);
  });

  it("rejects an http (not https) URL for https", () => {
    expect(() => parseNotify("https:http://hooks.example.com/x")).toThrow(/is not an https:\/\/ URL/);
  });

  it("rejects an SQS endpoint that is not an SQS ARN", () => {
    expect(() => parseNotify("sqs:arn:aws:sns:eu-west-1:111111111111:t")).toThrow(/is not an SQS queue ARN/);
  });
});

/** The one line a refused setting gives. */
function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError, the settings were accepted");
}

describe("empty lists (issue 8, item 7)", () => {
  it('refuses --accounts "" instead of running over no account', () => {
    expect(refusal(() => loadSettings({ cli: { accounts: "" }, env: {} }))).toBe(
      "invalid --accounts: the list is empty; give one or more 12-digit account ids, or leave the setting out",
    );
  });

  it('refuses TRIPWIRE_ACCOUNTS=","', () => {
    expect(refusal(() => loadSettings({ env: { TRIPWIRE_ACCOUNTS: "," } }))).toMatch(
      /^invalid TRIPWIRE_ACCOUNTS: the list is empty; give one or more 12-digit account ids/,
    );
  });

  it('refuses "accounts": [] in the config file', () => {
    const file = configFile(JSON.stringify({ accounts: [] }));
    expect(refusal(() => loadSettings({ configFile: file, env: {} }))).toMatch(
      /^invalid "accounts" in .*tripwire\.json: the list is empty/,
    );
  });

  it("takes an empty TRIPWIRE_ACCOUNTS as unset (a deployment passes empty parameters through)", () => {
    expect(loadSettings({ env: { TRIPWIRE_ACCOUNTS: "" } }).accounts).toBeUndefined();
  });

  it("lists each account once however often it is given", () => {
    expect(loadSettings({ cli: { accounts: "111111111111,111111111111" }, env: {} }).accounts).toEqual([
      "111111111111",
    ]);
  });
});

describe("unknown TRIPWIRE_* variables (issue 8, item 7)", () => {
  it("refuses TRIPWIRE_DRYRUN and points to TRIPWIRE_DRY_RUN", () => {
    expect(refusal(() => loadSettings({ env: { TRIPWIRE_DRYRUN: "true" } }))).toMatch(
      /^unknown environment variable TRIPWIRE_DRYRUN \(did you mean TRIPWIRE_DRY_RUN\?\); tripwire reads TRIPWIRE_REGIONS, /,
    );
  });

  it("refuses a variable that is no setting at all", () => {
    expect(refusal(() => loadSettings({ env: { TRIPWIRE_COLOUR: "blue" } }))).toMatch(
      /^unknown environment variable TRIPWIRE_COLOUR; tripwire reads /,
    );
  });

  it("accepts TRIPWIRE_CONFIG and the variables the caller says it reads", () => {
    const file = configFile(JSON.stringify({ prefix: "tw" }));
    const settings = loadSettings({
      env: { TRIPWIRE_CONFIG: file, TRIPWIRE_QUEUE_URL: "https://sqs.example/q" },
      knownVariables: ["TRIPWIRE_QUEUE_URL"],
    });
    expect(settings.prefix).toBe("tw");
  });

  it("leaves variables of other tools alone", () => {
    expect(loadSettings({ env: { AWS_REGION: "eu-west-1", TRIPWIRE: "x", MY_TRIPWIRE_X: "y" } }).prefix).toBe(
      "tripwire",
    );
  });
});

describe("integers are parsed strictly (issue 8, item 7)", () => {
  it.each(["1e2", "0x10", " 7", "7 ", "+7", "07", "7.0", "seven", ""])("refuses --concurrency %j", (value) => {
    // An empty option value reaches the settings as "": refused like any other non-number.
    expect(refusal(() => loadSettings({ cli: { concurrency: value }, env: {} }))).toBe(
      `invalid --concurrency: ${JSON.stringify(value)} is not a whole number from 1 to 500`,
    );
  });

  it.each([[true], [[7]], [{ n: 7 }], [" 7"]])("refuses the file value %j for concurrency", (value) => {
    const file = configFile(JSON.stringify({ concurrency: value }));
    expect(refusal(() => loadSettings({ configFile: file, env: {} }))).toMatch(
      /^invalid "concurrency" in .*: .* is not a whole number from 1 to 500$/,
    );
  });

  it("accepts a JSON number or a string of digits from the file", () => {
    const file = configFile(JSON.stringify({ concurrency: 7, maxAttempts: "3" }));
    expect(loadSettings({ configFile: file, env: {} })).toMatchObject({ concurrency: 7, maxAttempts: 3 });
  });
});

describe("messages (issue 8, item 7)", () => {
  it("finishes the message for a filter profile that is not a string", () => {
    const file = configFile(JSON.stringify({ filterProfile: 5 }));
    expect(refusal(() => loadSettings({ configFile: file, env: {} }))).toMatch(
      /^invalid "filterProfile" in .*: 5 is not one of securityhub, cis-v1\.4, all$/,
    );
  });

  it("finishes the message for a filter profile with a line break", () => {
    expect(refusal(() => loadSettings({ cli: { filterProfile: "all\nx" }, env: {} }))).toBe(
      'invalid --filter-profile: "all\\nx" is not one of securityhub, cis-v1.4, all',
    );
  });

  it("shortens a long value to its first 60 characters and its length", () => {
    const message = refusal(() => loadSettings({ cli: { prefix: "x".repeat(5_000_000) }, env: {} }));
    expect(message).toBe(
      `invalid --prefix: "${"x".repeat(60)}"… (5000000 characters) is not a name prefix: a letter, then up to 31 letters, digits or hyphens`,
    );
  });
});

describe("config files (issue 8, item 7)", () => {
  it("stops reading a file past 1 MiB, whatever it is (--config /dev/zero)", () => {
    expect(refusal(() => loadSettings({ configFile: "/dev/zero", env: {} }))).toBe(
      "config file /dev/zero is larger than 1 MiB: a settings file must be 1 MiB at most",
    );
  });

  it("refuses a 5 MB file without echoing it", () => {
    const file = configFile(JSON.stringify({ prefix: "p".repeat(5_000_000) }));
    expect(refusal(() => loadSettings({ configFile: file, env: {} })).length).toBeLessThan(300);
  });

  it("shortens a long unknown key", () => {
    const file = configFile(JSON.stringify({ ["k".repeat(500)]: 1 }));
    expect(refusal(() => loadSettings({ configFile: file, env: {} }))).toMatch(
      /unknown setting "k{60}"… \(500 characters\)/,
    );
  });

  it("names a directory given as the file", () => {
    expect(refusal(() => loadSettings({ configFile: tmpdir(), env: {} }))).toBe(
      `cannot read config file ${tmpdir()}: EISDIR`,
    );
  });
});

describe("callTimeout", () => {
  it("defaults to 10 seconds per attempt", () => {
    expect(loadSettings({ env: {} }).callTimeout).toBe(10_000);
  });

  it("reads TRIPWIRE_CALL_TIMEOUT as a duration", () => {
    expect(loadSettings({ env: { TRIPWIRE_CALL_TIMEOUT: "2s" } }).callTimeout).toBe(2_000);
  });

  it("reads --call-timeout in minutes", () => {
    expect(loadSettings({ cli: { callTimeout: "1m" }, env: {} }).callTimeout).toBe(60_000);
  });

  it("refuses a number without a unit, naming the accepted form", () => {
    expect(refusal(() => loadSettings({ cli: { callTimeout: "10" }, env: {} }))).toBe(
      'invalid --call-timeout: "10" is not a duration from 1s to 15m (a duration: a whole number and a unit s, m, h or d (90s, 20m, 2h, 7d))',
    );
  });

  it("refuses a timeout shorter than a second", () => {
    expect(refusal(() => loadSettings({ cli: { callTimeout: "0s" }, env: {} }))).toMatch(
      /^invalid --call-timeout: "0s" is not a duration from 1s to 15m/,
    );
  });
});

describe("notify endpoints per protocol (issue 8, item 7)", () => {
  it("refuses an email address with shell characters", () => {
    expect(refusal(() => parseNotify("email:a$(id)@b.c;rm"))).toBe(
      'invalid --notify: "a$(id)@b.c;rm" is not an email address (local part up to 64 letters, digits and ._%+-, a domain name; 254 characters at most) for email',
    );
  });

  it("refuses a 100 KB address, shortened in the message", () => {
    const message = refusal(() => parseNotify(`email:${"a".repeat(100_000)}@example.com`));
    expect(message).toMatch(/^invalid --notify: "a{60}"… \(100012 characters\) is not an email address/);
  });

  it("refuses a local part of 65 characters (RFC 5321: 64 at most)", () => {
    expect(() => parseNotify(`email:${"a".repeat(65)}@example.com`)).toThrow(ConfigError);
  });

  it("accepts a local part of 64 characters", () => {
    expect(parseNotify(`email:${"a".repeat(64)}@example.com`).protocol).toBe("email");
  });

  it("refuses an address longer than 254 characters", () => {
    const domain = `${"d".repeat(60)}.${"d".repeat(60)}.${"d".repeat(60)}.${"d".repeat(60)}.com`;
    expect(() => parseNotify(`email:${"a".repeat(10)}@${domain}`)).toThrow(ConfigError);
  });

  it.each(["a..b@example.com", ".a@example.com", "a@example", "a@-x.com", "a@example.123", "a b@example.com"])(
    "refuses the email address %j",
    (address) => {
      expect(() => parseNotify(`email:${address}`)).toThrow(ConfigError);
    },
  );

  it.each(["first.last+tag@mail.example.co.uk", "x_y%z-1@sub.example.com"])("accepts the email address %j", (a) => {
    expect(parseNotify(`email:${a}`)).toEqual({ protocol: "email", endpoint: a });
  });

  it("accepts a bare https URL as --notify", () => {
    expect(parseNotify("https://h/x")).toEqual({ protocol: "https", endpoint: "https://h/x" });
  });

  it("accepts https:https://h/x", () => {
    expect(parseNotify("https:https://h/x")).toEqual({ protocol: "https", endpoint: "https://h/x" });
  });

  it("names the whole endpoint when an https endpoint is not a URL", () => {
    expect(refusal(() => parseNotify("https:h/x"))).toMatch(/^invalid --notify: "h\/x" is not an https:\/\/ URL/);
  });

  it.each([
    ["credentials", "https://user:pw@h.example/x"],
    ["no host", "https:///x"],
    ["a space", "https://h.example/a b"],
    ["a shell command in the host", "https://h$(id).example/"],
    ["a line break", "https://h.example/x\nrm"],
  ])("refuses an https URL with %s", (_case, url) => {
    expect(() => parseNotify(`https:${url}`)).toThrow(/is not an https:\/\/ URL/);
  });

  it.each([
    ["another service", "arn:aws:sns:eu-west-1:111111111111:q"],
    ["an 11-digit account", "arn:aws:sqs:eu-west-1:11111111111:q"],
    ["a bad region", "arn:aws:sqs:europe:111111111111:q"],
    ["a bad partition", "arn:amazon:sqs:eu-west-1:111111111111:q"],
    ["a path in the name", "arn:aws:sqs:eu-west-1:111111111111:q/x"],
    ["a name of 81 characters", `arn:aws:sqs:eu-west-1:111111111111:${"q".repeat(81)}`],
  ])("refuses an SQS endpoint with %s", (_case, arn) => {
    expect(() => parseNotify(`sqs:${arn}`)).toThrow(/is not an SQS queue ARN/);
  });

  it.each(["arn:aws:sqs:eu-west-1:111111111111:alerts", "arn:aws-us-gov:sqs:us-gov-west-1:111111111111:a.fifo"])(
    "accepts the SQS endpoint %s",
    (arn) => {
      expect(parseNotify(`sqs:${arn}`).endpoint).toBe(arn);
    },
  );

  it.each([
    ["no function: part", "arn:aws:lambda:eu-west-1:111111111111:f"],
    ["a layer", "arn:aws:lambda:eu-west-1:111111111111:layer:f:1"],
    ["a space", "arn:aws:lambda:eu-west-1:111111111111:function:f x"],
  ])("refuses a Lambda endpoint with %s", (_case, arn) => {
    expect(() => parseNotify(`lambda:${arn}`)).toThrow(/is not a Lambda function ARN/);
  });

  it.each([
    "arn:aws:lambda:eu-west-1:111111111111:function:pager",
    "arn:aws:lambda:eu-west-1:111111111111:function:p:live",
  ])("accepts the Lambda endpoint %s", (arn) => {
    expect(parseNotify(`lambda:${arn}`).endpoint).toBe(arn);
  });
});

describe("a URL with a comma (issue 8, item 7)", () => {
  const url = "https://hooks.example.com/x?tags=a,b";

  it("keeps a --notify value whole", () => {
    expect(loadSettings({ cli: { notify: [url] }, env: {} }).notify).toEqual([{ protocol: "https", endpoint: url }]);
  });

  it("splits TRIPWIRE_NOTIFY only before a protocol: prefix", () => {
    const s = loadSettings({ env: { TRIPWIRE_NOTIFY: `https:${url},email:secops@example.com` } });
    expect(s.notify).toEqual([
      { protocol: "https", endpoint: url },
      { protocol: "email", endpoint: "secops@example.com" },
    ]);
  });

  it("splits a notify string in the file the same way", () => {
    const file = configFile(JSON.stringify({ notify: `${url}, sqs:arn:aws:sqs:eu-west-1:111111111111:q` }));
    expect(loadSettings({ configFile: file, env: {} }).notify.map((n) => n.endpoint)).toEqual([
      url,
      "arn:aws:sqs:eu-west-1:111111111111:q",
    ]);
  });

  it("keeps each item of a notify list in the file whole", () => {
    const file = configFile(JSON.stringify({ notify: [url] }));
    expect(loadSettings({ configFile: file, env: {} }).notify).toEqual([{ protocol: "https", endpoint: url }]);
  });

  it("says to repeat --notify when one value holds several endpoints", () => {
    expect(
      refusal(() => loadSettings({ cli: { notify: ["email:a@example.com,email:b@example.com"] }, env: {} })),
    ).toMatch(/is not an email address .* for email; give --notify once per endpoint$/);
  });
});

describe("output (issue 12, item 2)", () => {
  it("prints the table unless told otherwise", () => {
    expect(loadSettings({ env: {} })).toMatchObject({ output: "table", json: false });
  });

  it("reads --output csv", () => {
    expect(loadSettings({ cli: { output: "csv" }, env: {} }).output).toBe("csv");
  });

  it("takes --json for --output json", () => {
    expect(loadSettings({ cli: { json: true }, env: {} })).toMatchObject({ output: "json", json: true });
  });

  it("accepts --json with --output json", () => {
    expect(loadSettings({ cli: { json: true, output: "json" }, env: {} }).output).toBe("json");
  });

  it("refuses --json with --output csv in one line naming both", () => {
    expect(() => loadSettings({ cli: { json: true, output: "csv" }, env: {} })).toThrow(
      /^--json and --output "csv" disagree: --json is short for --output json; give one of them$/,
    );
  });

  it("refuses TRIPWIRE_JSON=true with TRIPWIRE_OUTPUT=ocsf", () => {
    expect(() => loadSettings({ env: { TRIPWIRE_JSON: "true", TRIPWIRE_OUTPUT: "ocsf" } })).toThrow(ConfigError);
  });

  it("lets --json on the command line win over TRIPWIRE_OUTPUT", () => {
    expect(loadSettings({ cli: { json: true }, env: { TRIPWIRE_OUTPUT: "csv" } }).output).toBe("json");
  });

  it("lets --output on the command line win over TRIPWIRE_JSON", () => {
    expect(loadSettings({ cli: { output: "ocsf" }, env: { TRIPWIRE_JSON: "true" } })).toMatchObject({
      output: "ocsf",
      json: false,
    });
  });

  it("refuses an output it does not know, listing the four", () => {
    expect(() => loadSettings({ cli: { output: "xml" }, env: {} })).toThrow(
      'invalid --output: "xml" is not one of table, json, ocsf, csv',
    );
  });
});

describe("securityHub (issue 12, item 1)", () => {
  it("is off unless asked for", () => {
    expect(loadSettings({ env: {} }).securityHub).toBe(false);
  });

  it("reads TRIPWIRE_SECURITY_HUB=true", () => {
    expect(loadSettings({ env: { TRIPWIRE_SECURITY_HUB: "true" } }).securityHub).toBe(true);
  });

  it('reads "securityHub": true from the file', () => {
    expect(loadSettings({ configFile: configFile('{"securityHub": true}'), env: {} }).securityHub).toBe(true);
  });
});

describe("topicKmsKey (issue 12, item 6)", () => {
  const key = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  it("leaves the topic unencrypted unless a key is given", () => {
    expect(loadSettings({ env: {} }).topicKmsKey).toBeUndefined();
  });

  it("accepts a key ARN", () => {
    expect(loadSettings({ cli: { topicKmsKey: key }, env: {} }).topicKmsKey).toBe(key);
  });

  it("accepts an alias name, which names a key in each account", () => {
    expect(loadSettings({ env: { TRIPWIRE_TOPIC_KMS_KEY: "alias/tripwire-alerts" } }).topicKmsKey).toBe(
      "alias/tripwire-alerts",
    );
  });

  it("accepts an alias ARN", () => {
    const alias = "arn:aws:kms:eu-west-1:111111111111:alias/tripwire-alerts";
    expect(loadSettings({ cli: { topicKmsKey: alias }, env: {} }).topicKmsKey).toBe(alias);
  });

  it("refuses a bare key id, which names a key in one account only", () => {
    expect(() => loadSettings({ cli: { topicKmsKey: "1234abcd-12ab-34cd-56ef-1234567890ab" }, env: {} })).toThrow(
      /^invalid --topic-kms-key: "1234abcd-12ab-34cd-56ef-1234567890ab" is not a KMS key ARN/,
    );
  });

  it("refuses alias/aws/sns in one line: an alarm cannot publish to a topic under that key", () => {
    expect(() => loadSettings({ cli: { topicKmsKey: "alias/aws/sns" }, env: {} })).toThrow(
      'invalid --topic-kms-key: "alias/aws/sns" is the AWS managed key of SNS, and a CloudWatch alarm cannot publish to a topic encrypted with it (its key policy cannot admit cloudwatch.amazonaws.com); give a customer managed key',
    );
  });

  it("refuses the ARN of the alias aws/sns too", () => {
    expect(() =>
      loadSettings({ cli: { topicKmsKey: "arn:aws:kms:us-east-1:111111111111:alias/aws/sns" }, env: {} }),
    ).toThrow(/is the AWS managed key of SNS/);
  });

  it("refuses another AWS managed key", () => {
    expect(() => loadSettings({ cli: { topicKmsKey: "alias/aws/s3" }, env: {} })).toThrow(/is an AWS managed key/);
  });
});
