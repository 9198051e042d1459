/**
 * The safety level, checked for a whole plan before its first write: a context that may not make one of the
 * planned changes refuses the apply up front (and the dry run says so), instead of failing halfway.
 *
 * @module
 */

import type { SafetyCheck } from "../client/mod.ts";
import { DtctlError, isDtctlError } from "../errors/mod.ts";
import type { ManagedKind } from "../plan/adapter.ts";
import { managedKind } from "../plan/kinds/mod.ts";
import { planBasis, resourceKey } from "../plan/plan.ts";
import type { Plan, PlanAction } from "../plan/types.ts";
import type { KindContext } from "../resources/types.ts";

const OPERATIONS: Partial<Record<PlanAction, { operation: SafetyCheck["operation"]; method: string }>> = {
  create: { operation: "create", method: "POST" },
  update: { operation: "update", method: "PUT" },
  delete: { operation: "delete", method: "DELETE" },
};

/**
 * Asks the context's safety guard about every change of the plan, with the same kind, name and owner the
 * writes will carry. Resolves when all are allowed; otherwise throws one `safety_blocked` error listing every
 * refused change.
 */
export async function checkPlanSafety(
  plan: Plan,
  context: KindContext,
  kinds?: readonly ManagedKind[],
): Promise<void> {
  const live = planBasis(plan)?.live;
  const refused: { resource: string; message: string }[] = [];
  let first: DtctlError | undefined;
  for (const entry of plan.entries) {
    const write = OPERATIONS[entry.action];
    if (!write) continue;
    const kind = (kinds?.find((k) => k.manifestKind === entry.kind) ?? managedKind(entry.kind)).resource;
    const object = live?.get(resourceKey(entry.kind, entry.name));
    try {
      await context.client.authorize({
        ...write,
        path: `${entry.kind}/${entry.name}`,
        resource: { kind: kind.name, name: entry.name, owner: object ? kind.owner?.(object) : undefined },
      });
    } catch (error) {
      if (!isDtctlError(error, "safety_blocked")) throw error;
      first ??= error;
      refused.push({ resource: resourceKey(entry.kind, entry.name), message: error.message });
    }
  }
  if (!first) return;
  const list = refused.map((r) => `  ${r.resource}: ${r.message}`).join("\n");
  throw new DtctlError(
    "safety_blocked",
    `the context's safety level refuses ${refused.length} planned change(s):\n${list}`,
    {
      hint: first.hint,
      details: { refused },
    },
  );
}
