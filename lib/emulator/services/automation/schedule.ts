/**
 * Schedule triggers: validation and the server-derived `nextExecution`.
 *
 * The next run is computed in the schedule's time zone using the zone's UTC offset at the current time, which
 * is exact except across a daylight-saving change between now and the next run.
 *
 * @module
 */

const MINUTE = 60_000;

interface CronField {
  min: number;
  max: number;
}

const FIELDS: CronField[] = [
  { min: 0, max: 59 }, // minute
  { min: 0, max: 23 }, // hour
  { min: 1, max: 31 }, // day of month
  { min: 1, max: 12 }, // month
  { min: 0, max: 7 }, // day of week (0 and 7 are Sunday)
];

/** Parses one cron field into the set of allowed values, or undefined when malformed. */
function parseField(text: string, field: CronField): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    let from = field.min;
    let to = field.max;
    if (match[1] !== "*") {
      from = Number(match[2]);
      to = match[3] === undefined ? (match[4] === undefined ? from : field.max) : Number(match[3]);
    }
    if (step < 1 || from < field.min || to > field.max || from > to) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** A parsed five-field cron expression. */
export interface Cron {
  /** Allowed minutes, hours, days of month, months, days of week. */
  fields: Set<number>[];
  /** Whether day of month / day of week were restricted (cron ORs them when both are). */
  domRestricted: boolean;
  /** See `domRestricted`. */
  dowRestricted: boolean;
}

/** Parses `m h dom mon dow`; undefined when malformed. */
export function parseCron(expression: string): Cron | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const fields: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const set = parseField(parts[i], FIELDS[i]);
    if (!set) return undefined;
    fields.push(set);
  }
  if (fields[4].has(7)) fields[4].add(0);
  return { fields, domRestricted: parts[2] !== "*", dowRestricted: parts[4] !== "*" };
}

function matchesDay(cron: Cron, date: Date): boolean {
  const dom = cron.fields[2].has(date.getUTCDate());
  const dow = cron.fields[4].has(date.getUTCDay());
  if (cron.domRestricted && cron.dowRestricted) return dom || dow;
  return dom && dow;
}

/** The zone's offset from UTC in ms at `at` (0 for unknown zones). */
export function zoneOffset(timeZone: string | undefined, at: number): number {
  if (!timeZone) return 0;
  try {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(new Date(at));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const local = Date.UTC(
      get("year"),
      get("month") - 1,
      get("day"),
      get("hour"),
      get("minute"),
      get("second"),
    );
    return local - Math.floor(at / 1000) * 1000;
  } catch {
    return 0;
  }
}

/** The first minute after `after` (epoch ms) matching the cron expression in the zone, or null. */
export function nextCron(cron: Cron, after: number, timeZone?: string): number | null {
  const offset = zoneOffset(timeZone, after);
  // Work in "zone-local" epoch ms, where UTC getters read local wall-clock fields.
  let t = Math.floor((after + offset) / MINUTE) * MINUTE + MINUTE;
  const limit = t + 4 * 366 * 24 * 60 * MINUTE;
  while (t < limit) {
    const date = new Date(t);
    if (!cron.fields[3].has(date.getUTCMonth() + 1)) {
      t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      continue;
    }
    if (!matchesDay(cron, date)) {
      t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
      continue;
    }
    if (!cron.fields[1].has(date.getUTCHours())) {
      t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours() + 1);
      continue;
    }
    if (!cron.fields[0].has(date.getUTCMinutes())) {
      t += MINUTE;
      continue;
    }
    return t - offset;
  }
  return null;
}

/** A `HH:MM` wall-clock time in minutes after midnight, or undefined. */
export function parseTimeOfDay(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const match = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(text);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Validation problems of a schedule trigger (`trigger.schedule.trigger`), as `[path, message]` pairs. */
export function scheduleProblems(trigger: unknown, path: string): Array<[string, string]> {
  if (trigger === null || typeof trigger !== "object") return [[path, "must be an object"]];
  const t = trigger as Record<string, unknown>;
  switch (t.type) {
    case "cron":
      return typeof t.cron === "string" && parseCron(t.cron)
        ? []
        : [[`${path}.cron`, "is not a valid cron expression"]];
    case "time":
      return parseTimeOfDay(t.time) === undefined ? [[`${path}.time`, "must be a time of day (HH:MM)"]] : [];
    case "interval": {
      const minutes = t.intervalMinutes;
      if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1 || minutes > 720) {
        return [[`${path}.intervalMinutes`, "must be an integer between 1 and 720"]];
      }
      return [];
    }
    case "once":
      return typeof t.at === "string" && !Number.isNaN(Date.parse(t.at))
        ? []
        : [[`${path}.at`, "must be a date-time"]];
    default:
      return [[`${path}.type`, "must be one of cron, time, interval, once"]];
  }
}

/** The next execution (epoch ms) of a valid schedule trigger after `now`, or null when there is none. */
export function nextExecution(
  trigger: Record<string, unknown>,
  now: number,
  timeZone?: string,
): number | null {
  switch (trigger.type) {
    case "cron": {
      const cron = parseCron(String(trigger.cron));
      return cron ? nextCron(cron, now, timeZone) : null;
    }
    case "time": {
      const minute = parseTimeOfDay(trigger.time)!;
      const cron = parseCron(`${minute % 60} ${Math.floor(minute / 60)} * * *`)!;
      return nextCron(cron, now, timeZone);
    }
    case "interval":
      return Math.floor(now / MINUTE) * MINUTE + Number(trigger.intervalMinutes) * MINUTE;
    case "once": {
      // `at` is a wall-clock time in the schedule's zone when it carries no offset.
      const text = String(trigger.at);
      const hasZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(text);
      const at = hasZone ? Date.parse(text) : Date.parse(`${text}Z`) - zoneOffset(timeZone, now);
      return at > now ? at : null;
    }
    default:
      return null;
  }
}
