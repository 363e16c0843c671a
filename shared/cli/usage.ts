/** The text of `tripwire help` and of `tripwire help <command>`. */
import type { CommandSpec } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";

const SETTINGS_HELP = `options (each also as TRIPWIRE_<NAME> in the environment, or in a JSON file given by --config):
  --regions a,b            regions in scope (default: every enabled region of each account)
  --accounts id,...        only these accounts          --exclude-accounts id,...
  --ou ou-...              accounts under this OU, recursively
  --role-name NAME         role assumed in member accounts (default OrganizationAccountAccessRole)
  --external-id ID         external id for that role
  --dedicated-role         that role trusts only tripwire's functions: heal ignores its sessions
  --notify proto:endpoint  subscribe to tripwire's topic (repeatable; email, https, sqs, lambda)
  --filter-profile P       securityhub | cis-v1.4 | all (default all): which CIS filters fix writes
  --prefix NAME            name prefix of created resources (default tripwire)
  --profile NAME           AWS named profile for the caller's credentials
  --home-region REGION     region for Organizations/STS and the first trail look-up (default us-east-1)
  --concurrency N          accounts in flight (default 10)
  --max-attempts N         attempts per AWS call, retries included (default 5)
  --call-timeout D         longest wait for one attempt of an AWS call: 2s, 30s, 1m (default 10s)
  --owner TEXT             who answers tripwire's alarm (its description and owner tag)
  --runbook-url URL        what to do when it fires (https; its description and runbook tag)
  --json                   print the report as one JSON document on stdout (short for --output json)
  --output F               table | json | ocsf | csv (default table): how scan and fix print the report
  --security-hub           import one finding per account into Security Hub (from that account)
  --topic-kms-key KEY      create tripwire's topic encrypted with this KMS key (key ARN, alias ARN, alias/NAME)
  --config FILE            JSON file of settings (keys: regions, accounts, excludeAccounts, ou, roleName,
                           externalId, notify, profile, filterProfile, prefix, homeRegion, concurrency,
                           maxAttempts, callTimeout, dryRun, json, output, securityHub, topicKmsKey, owner,
                           runbookUrl, exemptions: [{ account, reason, owner, expires }]); at most 1 MiB
  -h, --help               this help; tripwire help <command> for one command's
  -V, --version            the version of tripwire
`;

export function generalUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.synopsis.length)) + 2;
  const commands = COMMANDS.map((c) => `  ${c.synopsis.padEnd(width)} ${c.summary}`).join("\n");
  return `usage: tripwire <command> [options]\n\ncommands:\n${commands}\n\n${SETTINGS_HELP}`;
}

export function commandUsage(command: CommandSpec): string {
  const own = command.options.map((o) => {
    const flag = `--${o.name}${o.value ? ` ${o.value}` : ""}`;
    return `  ${flag.padEnd(24)} ${o.description}`;
  });
  return [
    `usage: tripwire ${command.synopsis} [options]`,
    "",
    command.description,
    "",
    ...(own.length > 0 ? [`${command.name} options:`, ...own, ""] : []),
    SETTINGS_HELP,
  ].join("\n");
}
