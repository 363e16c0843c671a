/** What explain found out about one alarm: the document `tripwire explain` prints and the notify function sends. */

import type { ExclusionRef } from "../exclusions.ts";
import type { EvaluationWindow } from "./evaluation-window.ts";
import type { EventGroup, ExpiredExclusion, UnconfirmedEvent } from "./event-groups.ts";

export interface LeftOut {
  /** Events past the cap (read to count them, not kept). */
  readonly count: number;
  /** False when reading stopped with events possibly left uncounted. */
  readonly complete: boolean;
}

export interface Explanation {
  readonly alarm: {
    readonly name: string;
    readonly arn: string;
    readonly accountId: string;
    readonly accountName: string;
    readonly region: string;
    readonly state: string;
    readonly stateChangeTime: string;
    readonly reason: string;
    readonly metric: { readonly namespace: string; readonly name: string };
  };
  readonly window: EvaluationWindow;
  readonly logGroup: string;
  readonly filters: readonly { readonly name: string; readonly pattern: string }[];
  /** The patterns asked of CloudWatch Logs (fewer than the filters when one includes another). */
  readonly queried: readonly string[];
  readonly matched: number;
  readonly excluded: number;
  readonly unconfirmed: readonly UnconfirmedEvent[];
  readonly groups: readonly EventGroup[];
  readonly expiredExclusions: readonly ExpiredExclusion[];
  readonly excludedByExclusion: readonly { readonly exclusion: ExclusionRef; readonly events: number }[];
  readonly leftOut: LeftOut;
  readonly consoleUrl: string;
  readonly pages: number;
  readonly largestPage: number;
  readonly reevaluationMs: number;
}
