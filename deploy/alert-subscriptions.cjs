// The central topics' subscriptions, one per entry of the `notify` parameter on each of the
// alert topic (operations alarms) and the security alert topic (the notify function's alerts)
// (protocol:endpoint, comma-separated): CloudFormation has no loop, so `serverless package`
// calls this function (`${file(./deploy/alert-subscriptions.cjs)}` in serverless.yml) and
// merges the resources it returns into the template. Each logical id is derived from the
// entry itself, so adding or removing one endpoint leaves the others' subscriptions alone.
"use strict";

const { createHash } = require("node:crypto");

/** The protocols tripwire's `notify` setting accepts, as SNS names them. */
const PROTOCOLS = ["email", "https", "sqs", "lambda"];
const ENDPOINTS = {
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  https: /^https:\/\/[^\s/]+/,
  sqs: /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:\S+$/,
  lambda: /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:\S+$/,
};

/** The subscription resources for a `notify` value; throws on an entry SNS could not take. */
function alertSubscriptions(notify) {
  const Resources = {};
  const entries = String(notify ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    // `https://host/path` alone is an https endpoint; otherwise protocol:endpoint.
    const colon = entry.startsWith("https://") ? -1 : entry.indexOf(":");
    const protocol = colon < 0 ? "https" : entry.slice(0, colon);
    const endpoint = colon < 0 ? entry : entry.slice(colon + 1);
    if (!PROTOCOLS.includes(protocol) || !ENDPOINTS[protocol].test(endpoint)) {
      throw new Error(
        `notify: ${JSON.stringify(entry)} is not protocol:endpoint with protocol one of ${PROTOCOLS.join(", ")} ` +
          "and an endpoint of that protocol (an email address, an https:// URL, an SQS queue or Lambda function ARN)",
      );
    }
    // The same endpoint twice is one subscription (SNS would return the same one for both).
    const hash = createHash("sha256").update(`${protocol}:${endpoint}`).digest("hex").slice(0, 10);
    Resources[`AlertSubscription${hash}`] = {
      Type: "AWS::SNS::Subscription",
      Properties: { TopicArn: { Ref: "AlertTopic" }, Protocol: protocol, Endpoint: endpoint },
    };
    Resources[`SecurityAlertSubscription${hash}`] = {
      Type: "AWS::SNS::Subscription",
      Properties: { TopicArn: { Ref: "SecurityAlertTopic" }, Protocol: protocol, Endpoint: endpoint },
    };
  }
  return { Resources };
}

module.exports = async ({ resolveVariable }) => alertSubscriptions(await resolveVariable("param:notify"));
module.exports.alertSubscriptions = alertSubscriptions;
