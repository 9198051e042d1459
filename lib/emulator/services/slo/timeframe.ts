/**
 * SLO criteria timeframes: relative expressions (`now`, `now-7d`, `now-1h@h`, `now-1M`) or RFC3339 timestamps.
 *
 * @module
 */

const FIXED_UNITS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function shift(at: number, amount: number, unit: string): number {
  if (unit in FIXED_UNITS) return at + amount * FIXED_UNITS[unit];
  const date = new Date(at);
  if (unit === "M") date.setUTCMonth(date.getUTCMonth() + amount);
  else if (unit === "y") date.setUTCFullYear(date.getUTCFullYear() + amount);
  return date.getTime();
}

function align(at: number, unit: string): number {
  const date = new Date(at);
  switch (unit) {
    case "s":
    case "m":
    case "h":
    case "d":
      return Math.floor(at / FIXED_UNITS[unit]) * FIXED_UNITS[unit];
    case "w": {
      const day = Math.floor(at / FIXED_UNITS.d);
      // Weeks start on Monday; the epoch (day 0) was a Thursday.
      return (day - (((day + 3) % 7) + 7) % 7) * FIXED_UNITS.d;
    }
    case "M":
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    default:
      return Date.UTC(date.getUTCFullYear(), 0, 1);
  }
}

/** Epoch ms of a timeframe bound at `now`, or undefined when the expression is malformed. */
export function resolveBound(expression: string, now: number): number | undefined {
  const text = expression.trim();
  const relative = /^now((?:[+-]\d+[smhdwMy])*)(?:@([smhdwMy]))?$/.exec(text);
  if (relative) {
    let at = now;
    for (const [, sign, amount, unit] of relative[1].matchAll(/([+-])(\d+)([smhdwMy])/g)) {
      at = shift(at, (sign === "-" ? -1 : 1) * Number(amount), unit);
    }
    return relative[2] ? align(at, relative[2]) : at;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}
