/**
 * AWS IAM, minimal: GetRole on the account's roles (the ones STS AssumeRole knows). A role not
 * there answers NoSuchEntity (404), "The role with name <name> cannot be found.", as IAM does.
 */
import type { GetRoleRequest } from "@aws-sdk/client-iam";
import { stableId } from "../principals.ts";
import { type HandlerTable, op, raise, required } from "./handler.ts";

export const iamHandlers: HandlerTable = {
  GetRole: op<GetRoleRequest>(({ core, account }, input) => {
    const name = required("iam", "ValidationError", "RoleName", input.RoleName);
    const role = account.role(name);
    if (!role) raise("iam", "NoSuchEntityException", `The role with name ${name} cannot be found.`, 404);
    const arn = `arn:${core.partition}:iam::${account.id}:role/${name}`;
    return {
      Role: {
        Path: "/",
        RoleName: name,
        RoleId: stableId("AROA", arn),
        Arn: arn,
        CreateDate: account.joinedTimestamp,
        AssumeRolePolicyDocument: encodeURIComponent(
          JSON.stringify({
            Version: "2012-10-17",
            Statement: role.trustedAccountIds.map((id) => ({
              Effect: "Allow",
              Principal: { AWS: `arn:${core.partition}:iam::${id}:root` },
              Action: "sts:AssumeRole",
            })),
          }),
        ),
        MaxSessionDuration: role.maxSessionDurationSeconds,
      },
    };
  }),
};
