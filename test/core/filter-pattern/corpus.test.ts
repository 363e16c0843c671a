import { describe, expect, it } from "vitest";
import {
  BENIGN_RECORDS,
  isDocumentedExclusion,
  UNAUTHORIZED_RECORDS,
} from "../../../shared/core/filter-pattern/index.ts";

// Record fields as documented in "CloudTrail record contents for management, data, and
// network activity events":
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
const DOCUMENTED_FIELDS = new Set([
  "eventVersion",
  "userIdentity",
  "eventTime",
  "eventSource",
  "eventName",
  "awsRegion",
  "sourceIPAddress",
  "userAgent",
  "errorCode",
  "errorMessage",
  "requestParameters",
  "responseElements",
  "additionalEventData",
  "requestID",
  "eventID",
  "eventType",
  "apiVersion",
  "managementEvent",
  "readOnly",
  "resources",
  "recipientAccountId",
  "serviceEventDetails",
  "sharedEventID",
  "vpcEndpointId",
  "vpcEndpointAccountId",
  "eventCategory",
  "addendum",
  "sessionCredentialFromConsole",
  "edgeDeviceDetails",
  "tlsDetails",
  "insightDetails",
]);
const REQUIRED_FIELDS = [
  "eventVersion",
  "userIdentity",
  "eventTime",
  "eventSource",
  "eventName",
  "awsRegion",
  "sourceIPAddress",
  "userAgent",
  "requestParameters",
  "responseElements",
  "requestID",
  "eventID",
  "readOnly",
  "eventType",
  "managementEvent",
  "recipientAccountId",
  "eventCategory",
];
const ALL = [...UNAUTHORIZED_RECORDS, ...BENIGN_RECORDS];
const codes = (entries: readonly (typeof ALL)[number][]) => new Set(entries.map((e) => e.record.errorCode));

describe("the CloudTrail corpus", () => {
  it("has at least 25 unauthorized and 25 benign records", () => {
    expect(UNAUTHORIZED_RECORDS.length).toBeGreaterThanOrEqual(25);
    expect(BENIGN_RECORDS.length).toBeGreaterThanOrEqual(25);
  });

  it("gives every unauthorized record an AccessDenied-style or UnauthorizedOperation error code", () => {
    const odd = UNAUTHORIZED_RECORDS.filter(
      (e) => !/^AccessDenied|UnauthorizedOperation$/.test(e.record.errorCode ?? ""),
    );
    expect(odd.map((e) => e.ref)).toEqual([]);
  });

  it("covers the four unauthorized error shapes", () => {
    expect([...codes(UNAUTHORIZED_RECORDS)].sort()).toEqual([
      "AccessDenied",
      "AccessDeniedException",
      "Client.UnauthorizedOperation",
      "UnauthorizedOperation",
    ]);
  });

  it("has unauthorized calls from IAM, S3, EC2, KMS, STS, Lambda and Organizations", () => {
    const sources = new Set(UNAUTHORIZED_RECORDS.map((e) => e.record.eventSource.split(".")[0]));
    expect(["iam", "s3", "ec2", "kms", "sts", "lambda", "organizations"].filter((s) => !sources.has(s))).toEqual([]);
  });

  it("has benign successes, throttling, missing entities, validation errors and log-delivery HeadBucket probes", () => {
    const benign = codes(BENIGN_RECORDS);
    expect({
      success: benign.has(undefined),
      throttling: benign.has("ThrottlingException"),
      noSuchEntity: benign.has("NoSuchEntityException"),
      validation: benign.has("ValidationException"),
      deliveryProbe: BENIGN_RECORDS.some((e) => isDocumentedExclusion(e.record)),
    }).toEqual({ success: true, throttling: true, noSuchEntity: true, validation: true, deliveryProbe: true });
  });

  it("uses unique UUID event IDs", () => {
    const ids = ALL.map((e) => e.record.eventID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      ids.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toEqual([]);
  });

  it("uses only documented record fields", () => {
    expect([...new Set(ALL.flatMap((e) => Object.keys(e.record)))].filter((k) => !DOCUMENTED_FIELDS.has(k))).toEqual(
      [],
    );
  });

  it("gives every record the fields a management event always carries", () => {
    expect(ALL.filter((e) => REQUIRED_FIELDS.some((f) => !(f in e.record))).map((e) => e.ref)).toEqual([]);
  });

  it("uses example account ids and documentation-range or service source addresses", () => {
    const bad = ALL.filter(
      (e) =>
        !/^(1{12}|2{12})$/.test(String(e.record.recipientAccountId)) ||
        !/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$|amazonaws\.com$|^AWS Internal$/.test(e.record.sourceIPAddress),
    );
    expect(bad.map((e) => e.ref)).toEqual([]);
  });

  // CIS v1.4+ excludes every HeadBucket to drop log-delivery probes; a user's denied
  // HeadBucket is the documented price of that exclusion, so it is not in the corpus.
  it("contains no unauthorized HeadBucket call", () => {
    expect(UNAUTHORIZED_RECORDS.filter((e) => e.record.eventName === "HeadBucket")).toEqual([]);
  });
});
