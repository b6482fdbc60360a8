// `statusList` job (repeatable, scheduler `status-list-publish`): publish the
// signed status list when it changed or needs refreshing (StatusListService;
// idempotent, docs/decisions/0022).
import type { StatusListPublishOptions, StatusListService } from "@assay/platform";
import type { JobHandler } from "./handler";

/** The one job scheduler every worker upserts: two workers never schedule two publishers. */
export const STATUS_LIST_SCHEDULER_ID = "status-list-publish";

export function statusListHandler(deps: { statusList: StatusListService; options: StatusListPublishOptions }): JobHandler<"statusList"> {
  return {
    name: "statusList",
    async handle(_payload, context) {
      const outcome = await deps.statusList.publish(deps.options);
      if (outcome.published) context.log("info", "status list published", { sequence: outcome.sequence, size: outcome.size, set: outcome.setCount, reason: outcome.reason });
      return outcome.published
        ? { result: "published", sequence: outcome.sequence, setCount: outcome.setCount, reason: outcome.reason }
        : { result: "skipped", sequence: outcome.sequence, reason: outcome.reason };
    },
  };
}
