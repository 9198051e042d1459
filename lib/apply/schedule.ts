/**
 * The order of apply: a dependency scheduler with bounded concurrency.
 *
 * - A create or update of kind K starts once every create and update of the kinds K depends on (transitively)
 *   has finished, and once the resources its `(known after apply: ...)` placeholders name have been created.
 * - Deletes start after every create and update (a dependent may still reference what is deleted until it is
 *   updated), dependents first: a delete of kind K waits for the deletes of kinds that depend on K.
 * - Within those constraints, items start in plan order, at most `concurrency` at once.
 *
 * When `shouldStop()` turns true (a failure without continue-on-error, or an interruption), nothing new starts;
 * the items in flight finish and the rest are skipped. An item whose placeholder target did not succeed is
 * skipped as well. A cycle between kinds (which the built-in kinds do not have) cannot deadlock: when nothing
 * runs and nothing is ready, the first waiting item starts.
 *
 * @module
 */

/** One change to schedule. */
export interface ScheduleItem {
  /** `Kind/name`. */
  label: string;
  /** Manifest kind. */
  kind: string;
  /** Whether it is a delete. */
  isDelete: boolean;
  /** Labels of the creates whose ids it needs (its placeholders). */
  needs: readonly string[];
}

/** Why an item was not run. */
export type SkipReason = { type: "stopped" } | { type: "dependency"; label: string };

/** Options of {@link runSchedule}. */
export interface ScheduleOptions<T extends ScheduleItem> {
  /** Items in plan order. */
  items: readonly T[];
  /** Direct dependencies of a kind (manifest kinds). */
  dependsOn(kind: string): readonly string[];
  /** Items in flight at once (≥ 1). */
  concurrency: number;
  /** Runs an item; resolves true on success. Must not reject. */
  run(item: T): Promise<boolean>;
  /** Records an item that was not run. */
  skip(item: T, reason: SkipReason): void;
  /** Checked before each start: true stops scheduling. */
  shouldStop(): boolean;
}

/** The kinds `kind` depends on, transitively, without itself. */
export function dependencyClosure(kind: string, dependsOn: (kind: string) => readonly string[]): Set<string> {
  const closure = new Set<string>();
  const stack = [...dependsOn(kind)];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === kind || closure.has(next)) continue;
    closure.add(next);
    stack.push(...dependsOn(next));
  }
  return closure;
}

/** Runs the items (see the module documentation); resolves when every item has finished or been skipped. */
export function runSchedule<T extends ScheduleItem>(options: ScheduleOptions<T>): Promise<void> {
  const { items, concurrency } = options;
  const kinds = new Set(items.map((item) => item.kind));
  const closures = new Map<string, Set<string>>();
  for (const kind of kinds) closures.set(kind, dependencyClosure(kind, options.dependsOn));
  // Kinds whose deletes must come before a delete of `kind`: those that depend on it.
  const dependents = new Map<string, string[]>();
  for (const kind of kinds) dependents.set(kind, [...kinds].filter((k) => closures.get(k)!.has(kind)));

  const pendingWrites = new Map<string, number>();
  const pendingDeletes = new Map<string, number>();
  let pendingWriteTotal = 0;
  for (const item of items) {
    const counts = item.isDelete ? pendingDeletes : pendingWrites;
    counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
    if (!item.isDelete) pendingWriteTotal++;
  }
  const labels = new Set(items.map((item) => item.label));
  const outcome = new Map<string, boolean>();
  const waiting = [...items];
  let running = 0;

  const finish = (item: T, ok: boolean) => {
    outcome.set(item.label, ok);
    const counts = item.isDelete ? pendingDeletes : pendingWrites;
    counts.set(item.kind, counts.get(item.kind)! - 1);
    if (!item.isDelete) pendingWriteTotal--;
  };

  const ready = (item: T): boolean => {
    if (item.isDelete) {
      return pendingWriteTotal === 0 &&
        dependents.get(item.kind)!.every((kind) => (pendingDeletes.get(kind) ?? 0) === 0);
    }
    for (const kind of closures.get(item.kind)!) if ((pendingWrites.get(kind) ?? 0) > 0) return false;
    return item.needs.every((label) => outcome.has(label) || !labels.has(label));
  };

  return new Promise<void>((resolve) => {
    const start = (item: T) => {
      const failed = item.needs.find((label) => outcome.get(label) === false);
      if (failed !== undefined) {
        options.skip(item, { type: "dependency", label: failed });
        finish(item, false);
        return;
      }
      running++;
      options.run(item).then((ok) => {
        running--;
        finish(item, ok);
        pump();
      });
    };

    const pump = () => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        if (options.shouldStop()) {
          for (const item of waiting.splice(0)) {
            options.skip(item, { type: "stopped" });
            finish(item, false);
          }
          break;
        }
        for (let i = 0; i < waiting.length && running < concurrency;) {
          if (!ready(waiting[i])) {
            i++;
            continue;
          }
          const [item] = waiting.splice(i, 1);
          start(item);
          progressed = true;
          if (options.shouldStop()) break;
        }
        if (!progressed && running === 0 && waiting.length > 0) {
          start(waiting.shift()!);
          progressed = true;
        }
      }
      if (running === 0 && waiting.length === 0) resolve();
    };

    pump();
  });
}
