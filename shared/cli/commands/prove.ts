/**
 * `tripwire prove`: scan, then one denied canary call per COMPLIANT account, then one polling
 * loop that follows every account's alert path hop by hop (progress on stderr), then the report
 * (stdout) and, with --record, one proof record per account in S3.
 *
 * A proof pages the people subscribed to each alarm's topic: that is its point. With a terminal
 * the command says who (topics and their subscription counts) and asks once; without one it
 * needs --yes. Exit 0 when every in-scope account was proven, 1 otherwise, 2 on bad usage.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { writeProofRecord } from "../../adapters/records/proof-record-writer.ts";
import { mapWithConcurrency } from "../../core/concurrency.ts";
import { describeError } from "../../core/describe-error.ts";
import { DURATION_FORM, formatDuration, parseDuration } from "../../core/duration.ts";
import type { ProofRecord } from "../../core/proof-record.ts";
import { buildProveReport, proveExitCode } from "../../core/proof-run.ts";
import { pagedTopics } from "../../core/proof-target.ts";
import { parseS3Location, type S3Location } from "../../core/s3-location.ts";
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_PROVE_TIMEOUT_MS,
  fireCanaries,
  type ProofEvent,
  prepareProof,
  targetsOf,
  waitForProofs,
} from "../../use-cases/prove.ts";
import { colorFor } from "../color.ts";
import type { CommandBody, CommandContext } from "../command.ts";
import type { CliIo } from "../io.ts";
import { realClock } from "../real-clock.ts";
import { elapsed, renderProveReport } from "../render-proof.ts";

/** Shortest and longest --timeout: a proof needs minutes; a day is more than any alarm period needs. */
const TIMEOUT_MS = { min: 1_000, max: 86_400_000 } as const;

function usage(io: CliIo, message: string): number {
  io.stderr(`tripwire: ${message}\n`);
  io.stderr("run 'tripwire help prove' for usage\n");
  return 2;
}

export const proveCommand: CommandBody = {
  async run(context) {
    const { io, options } = context;
    let timeoutMs = DEFAULT_PROVE_TIMEOUT_MS;
    if (options.timeout !== undefined) {
      const parsed = typeof options.timeout === "string" ? parseDuration(options.timeout) : undefined;
      if (parsed === undefined || parsed < TIMEOUT_MS.min || parsed > TIMEOUT_MS.max) {
        return usage(io, `--timeout ${JSON.stringify(options.timeout)} is not ${DURATION_FORM} between 1s and 1d`);
      }
      timeoutMs = parsed;
    }
    let record: S3Location | undefined;
    if (options.record !== undefined) {
      record = typeof options.record === "string" ? parseS3Location(options.record) : undefined;
      if (!record) return usage(io, `--record ${JSON.stringify(options.record)} is not s3://<bucket>[/<prefix>]`);
    }
    const yes = options.yes === true;
    if (!yes && !io.ask) {
      return usage(
        io,
        "prove pages the people subscribed to each proven account's alarm topic: without a terminal to confirm, pass --yes",
      );
    }
    return prove(context, { timeoutMs, yes, ...(record ? { record } : {}) });
  },
};

async function prove(
  { settings, io, factoryFor, clock = realClock }: CommandContext,
  options: { timeoutMs: number; yes: boolean; record?: S3Location },
): Promise<number> {
  const factory = factoryFor(settings, "prove");
  const deps = { settings, factory, clock, onEvent: (e: ProofEvent) => progress(io, e) };
  const runId = `prove-${clock.now().toISOString().replace(/[:.]/g, "-")}`;
  io.stderr("prove: scanning the accounts in scope\n");
  let run = await prepareProof(deps, runId);
  const targets = targetsOf(run);
  if (targets.length > 0) {
    const topics = pagedTopics(targets);
    io.stderr(
      `prove: ${targets.length} account(s) to prove; each canary makes its account's alarm notify, paging the subscribers of:\n` +
        topics.map((t) => `  ${t.arn} (${t.confirmed} confirmed, ${t.pending} pending subscription(s))\n`).join(""),
    );
    if (!options.yes) {
      const answer = (await io.ask?.("prove: fire the canaries? [y/N] ")) ?? "";
      if (!/^y(es)?$/i.test(answer.trim())) {
        io.stderr("prove: nothing fired\n");
        return 1;
      }
    }
    run = await fireCanaries(deps, run, options.timeoutMs);
    io.stderr(
      `prove: canaries fired; following every account until ${run.deadline} (--timeout ${formatDuration(options.timeoutMs)}): CloudTrail delivers to CloudWatch Logs in about 5 minutes, then the alarm needs its period\n`,
    );
    run = await waitForProofs(deps, run, DEFAULT_POLL_INTERVAL_MS);
  } else {
    io.stderr("prove: no COMPLIANT account to prove: nothing fired\n");
  }
  const report = buildProveReport(run, clock.now());
  io.stdout(
    settings.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : `${renderProveReport(report, { color: colorFor(io, "stdout") })}\n`,
  );
  let code = proveExitCode(report);
  if (options.record) {
    const failed = await writeRecords(factory.caller(S3Client), options.record, report.accounts, settings.concurrency);
    if (failed) {
      io.stderr(
        `tripwire: proof records not all written to s3://${options.record.bucket}/${options.record.prefix}: ${failed}\n`,
      );
      code = 1;
    } else {
      io.stderr(
        `prove: ${report.accounts.length} proof record(s) written under s3://${options.record.bucket}/${options.record.prefix}proofs/\n`,
      );
    }
  }
  return code;
}

/** Writes every record; returns the first failure, if any. */
async function writeRecords(
  s3: S3Client,
  location: S3Location,
  records: readonly ProofRecord[],
  concurrency: number,
): Promise<string | undefined> {
  let failure: string | undefined;
  await mapWithConcurrency(records, concurrency, async (r) => {
    try {
      await writeProofRecord(s3, location.bucket, location.prefix, r);
    } catch (error) {
      failure ??= `${r.accountId}: ${describeError(error)}`;
    }
  });
  return failure;
}

function progress(io: CliIo, event: ProofEvent): void {
  const p = event.proof;
  if (event.kind === "hop") {
    const since = p.canary?.at ?? p.startedAt;
    io.stderr(
      `prove: ${p.accountId} ${event.hop.code} ${event.hop.ok ? "ok" : "FAILED"}${event.hop.at ? ` at ${event.hop.at} (${elapsed(since, event.hop.at)})` : ""}\n`,
    );
    return;
  }
  io.stderr(
    `prove: ${p.accountId} ${p.status}${p.failedHop ? ` at ${p.failedHop}` : ""}${p.reason ? `: ${p.reason}` : ""}\n`,
  );
}
