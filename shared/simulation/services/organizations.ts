/** AWS Organizations, answered from the organization's tree; only the management account may read it. */
import type {
  Account,
  DescribeAccountRequest,
  ListAccountsForParentRequest,
  ListAccountsRequest,
  ListChildrenRequest,
  ListOrganizationalUnitsForParentRequest,
  ListParentsRequest,
  ListRootsRequest,
  OrganizationalUnit,
} from "@aws-sdk/client-organizations";
import { InvalidTokenError, pageByPosition } from "../pagination.ts";
import { type AccountState, accountArn, organizationArn, rootArn, type SimulationCore } from "../state.ts";
import { type CallContext, type HandlerTable, op, pageSize, raise, required } from "./handler.ts";

const MAX_RESULTS = 20;

function requireManagement(ctx: CallContext): void {
  if (ctx.account.id !== ctx.core.managementAccountId) {
    raise("organizations", "AccessDeniedException", "You don't have permissions to access this resource.");
  }
}

function toAccount(core: SimulationCore, a: AccountState): Account {
  return {
    Id: a.id,
    Arn: accountArn(core, a.id),
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: a.joinedTimestamp,
  };
}

function page<T>(items: readonly T[], maxResults: number | undefined, token: string | undefined) {
  const limit = pageSize("organizations", "InvalidInputException", "MaxResults", maxResults, MAX_RESULTS);
  try {
    return pageByPosition(items, limit, token);
  } catch (error) {
    if (error instanceof InvalidTokenError)
      raise("organizations", "InvalidInputException", "The NextToken is not valid.");
    throw error;
  }
}

function requireParent(core: SimulationCore, parentId: string | undefined): string {
  const id = required("organizations", "InvalidInputException", "ParentId", parentId);
  if (id !== core.rootId && !core.organizationalUnits.has(id)) {
    raise(
      "organizations",
      "ParentNotFoundException",
      "We can't find a root or OU with the ParentId that you specified.",
    );
  }
  return id;
}

function childOus(core: SimulationCore, parentId: string) {
  return [...core.organizationalUnits.values()].filter((ou) => ou.parentId === parentId);
}

function childAccounts(core: SimulationCore, parentId: string) {
  return core.accountOrder.filter((a) => a.parentId === parentId);
}

export const organizationsHandlers: HandlerTable = {
  // Any account of the organization may describe it; the other reads need the management account.
  DescribeOrganization: op<object>(({ core }) => {
    const management = core.accounts.get(core.managementAccountId);
    return {
      Organization: {
        Id: core.organizationId,
        Arn: organizationArn(core),
        FeatureSet: "ALL",
        MasterAccountArn: accountArn(core, core.managementAccountId),
        MasterAccountId: core.managementAccountId,
        MasterAccountEmail: management?.email,
        AvailablePolicyTypes: [],
      },
    };
  }),

  ListAccounts: op<ListAccountsRequest>((ctx, input) => {
    requireManagement(ctx);
    const { items, nextToken } = page(ctx.core.accountOrder, input.MaxResults, input.NextToken);
    return { Accounts: items.map((a) => toAccount(ctx.core, a)), NextToken: nextToken };
  }),

  DescribeAccount: op<DescribeAccountRequest>((ctx, input) => {
    requireManagement(ctx);
    const id = required("organizations", "InvalidInputException", "AccountId", input.AccountId);
    const account = ctx.core.accounts.get(id);
    if (!account) {
      raise("organizations", "AccountNotFoundException", "You specified an account that doesn't exist.");
    }
    return { Account: toAccount(ctx.core, account) };
  }),

  ListRoots: op<ListRootsRequest>((ctx, input) => {
    requireManagement(ctx);
    const root = { Id: ctx.core.rootId, Arn: rootArn(ctx.core), Name: "Root", PolicyTypes: [] };
    const { items, nextToken } = page([root], input.MaxResults, input.NextToken);
    return { Roots: items, NextToken: nextToken };
  }),

  ListOrganizationalUnitsForParent: op<ListOrganizationalUnitsForParentRequest>((ctx, input) => {
    requireManagement(ctx);
    const parentId = requireParent(ctx.core, input.ParentId);
    const ous: OrganizationalUnit[] = childOus(ctx.core, parentId).map((ou) => ({
      Id: ou.id,
      Arn: ou.arn,
      Name: ou.name,
    }));
    const { items, nextToken } = page(ous, input.MaxResults, input.NextToken);
    return { OrganizationalUnits: items, NextToken: nextToken };
  }),

  ListAccountsForParent: op<ListAccountsForParentRequest>((ctx, input) => {
    requireManagement(ctx);
    const parentId = requireParent(ctx.core, input.ParentId);
    const { items, nextToken } = page(childAccounts(ctx.core, parentId), input.MaxResults, input.NextToken);
    return { Accounts: items.map((a) => toAccount(ctx.core, a)), NextToken: nextToken };
  }),

  // The one parent of an account or OU (Organizations trees have exactly one).
  ListParents: op<ListParentsRequest>((ctx, input) => {
    requireManagement(ctx);
    const childId = required("organizations", "InvalidInputException", "ChildId", input.ChildId);
    const parentId = ctx.core.accounts.get(childId)?.parentId ?? ctx.core.organizationalUnits.get(childId)?.parentId;
    if (!parentId)
      raise(
        "organizations",
        "ChildNotFoundException",
        "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
      );
    const type = parentId === ctx.core.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT";
    return { Parents: [{ Id: parentId, Type: type }] };
  }),

  ListChildren: op<ListChildrenRequest>((ctx, input) => {
    requireManagement(ctx);
    const parentId = requireParent(ctx.core, input.ParentId);
    const type = required("organizations", "InvalidInputException", "ChildType", input.ChildType);
    const children: { Id: string; Type: typeof type }[] =
      type === "ACCOUNT"
        ? childAccounts(ctx.core, parentId).map((a) => ({ Id: a.id, Type: type }))
        : childOus(ctx.core, parentId).map((ou) => ({ Id: ou.id, Type: type }));
    const { items, nextToken } = page(children, input.MaxResults, input.NextToken);
    return { Children: items, NextToken: nextToken };
  }),
};
