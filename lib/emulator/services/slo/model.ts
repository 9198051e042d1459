/**
 * Platform SLO documents: validation of `SloConfig` bodies, server ids and opaque versions.
 *
 * @module
 */

import type { ConstraintViolation } from "../../envelope.ts";
import { HttpError } from "../../http/errors.ts";
import { isObject } from "../../http/validate.ts";
import type { EmulatorStore } from "../../types.ts";
import { findTemplate } from "./templates.ts";
import { resolveBound } from "./timeframe.ts";

/** Store collection of SLOs. */
export const SLOS = "slo.slos";

/** An SLO as stored and returned. */
export interface Slo {
  /** Server-generated id. */
  id: string;
  /** Opaque version, regenerated on every write. */
  version: string;
  /** 1..200 characters. */
  name: string;
  /** At most 250 characters. */
  description?: string;
  /** Unique client-side identity. */
  externalId?: string;
  /** `key:value` or plain tags. */
  tags: string[];
  /** Exactly one criterion. */
  criteria: Array<{ timeframeFrom: string; timeframeTo: string; target: number; warning?: number }>;
  /** A custom DQL indicator … */
  customSli?: { indicator: string; filterSegments?: unknown[] };
  /** … or a template reference. */
  sliReference?: { templateId: string; variables: Array<{ name: string; value: string }> };
}

/** The SLOs collection. */
export const slos = (store: EmulatorStore) => store.collection<Slo>(SLOS);

const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A random URL-safe string. */
export function urlSafeId(random: () => number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += URL_SAFE[Math.floor(random() * 64)];
  return out;
}

/** A new SLO id (16 URL-safe characters, starting with a letter so it never looks like a flag). */
export function newSloId(random: () => number): string {
  return URL_SAFE[Math.floor(random() * 52)] + urlSafeId(random, 15);
}

/** A new opaque version. */
export function newVersion(random: () => number): string {
  return urlSafeId(random, 20);
}

function inRange(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
}

/** Validates an `SloConfig` body into the stored fields (without id/version); throws a 400 listing all problems. */
export function validateSlo(body: Record<string, unknown>): Omit<Slo, "id" | "version"> {
  const violations: ConstraintViolation[] = [];
  const add = (path: string, message: string) => violations.push({ path, message });
  const { name, description, externalId, tags = [], criteria, customSli, sliReference } = body;
  if (typeof name !== "string" || name.length < 1 || name.length > 200) {
    add("name", "size must be between 1 and 200");
  }
  if (
    description !== undefined && description !== null &&
    (typeof description !== "string" || description.length > 250)
  ) {
    add("description", "size must be between 0 and 250");
  }
  if (
    externalId !== undefined && externalId !== null &&
    (typeof externalId !== "string" || externalId.length > 500)
  ) {
    add("externalId", "size must be between 0 and 500");
  }
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== "string")) {
    add("tags", "must be a list of strings");
  } else if (tags.length > 100) add("tags", "size must be between 0 and 100");
  if (!Array.isArray(criteria) || criteria.length !== 1) {
    add("criteria", "must contain exactly one item");
  } else {
    const item = criteria[0];
    if (!isObject(item)) {
      add("criteria[0]", "must be an object");
    } else {
      if (typeof item.timeframeFrom !== "string" || resolveBound(item.timeframeFrom, 0) === undefined) {
        add("criteria[0].timeframeFrom", "must be a timeframe expression such as now-7d");
      }
      if (
        item.timeframeTo !== undefined &&
        (typeof item.timeframeTo !== "string" || resolveBound(item.timeframeTo, 0) === undefined)
      ) {
        add("criteria[0].timeframeTo", "must be a timeframe expression such as now");
      }
      if (!inRange(item.target, 0, 100)) add("criteria[0].target", "must be between 0 and 100");
      if (item.warning !== undefined && item.warning !== null && !inRange(item.warning, 0, 100)) {
        add("criteria[0].warning", "must be between 0 and 100");
      }
    }
  }
  const hasCustom = customSli !== undefined && customSli !== null;
  const hasReference = sliReference !== undefined && sliReference !== null;
  if (hasCustom === hasReference) add("customSli", "exactly one of customSli and sliReference must be set");
  if (
    hasCustom &&
    (!isObject(customSli) || typeof customSli.indicator !== "string" || customSli.indicator.trim() === "")
  ) {
    add("customSli.indicator", "must not be blank");
  }
  if (hasReference) {
    if (!isObject(sliReference) || typeof sliReference.templateId !== "string") {
      add("sliReference.templateId", "must not be blank");
    } else {
      const template = findTemplate(sliReference.templateId);
      if (!template) {
        add("sliReference.templateId", `unknown objective template '${sliReference.templateId}'`);
      }
      const variables = sliReference.variables ?? [];
      if (
        !Array.isArray(variables) ||
        variables.some((v) => !isObject(v) || typeof v.name !== "string" || typeof v.value !== "string")
      ) {
        add("sliReference.variables", "must be a list of {name, value} strings");
      } else if (template) {
        const given = new Set(variables.map((v) => (v as { name: string }).name));
        for (const variable of template.variables) {
          if (!given.has(variable.name)) {
            add("sliReference.variables", `variable '${variable.name}' is missing`);
          }
        }
      }
    }
  }
  if (violations.length > 0) {
    throw new HttpError(400, "Constraints violated.", { constraintViolations: violations });
  }
  const item = (criteria as Record<string, unknown>[])[0];
  const result: Omit<Slo, "id" | "version"> = {
    name: name as string,
    tags: tags as string[],
    criteria: [{
      timeframeFrom: item.timeframeFrom as string,
      timeframeTo: (item.timeframeTo as string | undefined) ?? "now",
      target: item.target as number,
      ...(typeof item.warning === "number" ? { warning: item.warning } : {}),
    }],
  };
  if (typeof description === "string") result.description = description;
  if (typeof externalId === "string") result.externalId = externalId;
  if (hasCustom) {
    const sli = customSli as Record<string, unknown>;
    result.customSli = {
      indicator: sli.indicator as string,
      ...(Array.isArray(sli.filterSegments) ? { filterSegments: sli.filterSegments } : {}),
    };
  } else {
    const reference = sliReference as Record<string, unknown>;
    result.sliReference = {
      templateId: reference.templateId as string,
      variables: ((reference.variables ?? []) as Array<{ name: string; value: string }>).map((
        { name, value },
      ) => ({ name, value })),
    };
  }
  return result;
}

/** 409 when another SLO already uses the external id. */
export function checkExternalId(store: EmulatorStore, externalId: string | undefined, self?: string): void {
  if (externalId === undefined) return;
  for (const slo of slos(store).values()) {
    if (slo.externalId === externalId && slo.id !== self) {
      throw new HttpError(409, `An SLO with externalId '${externalId}' already exists.`, {
        details: { errorCode: "EXTERNAL_ID_ALREADY_EXISTS", conflictingId: slo.id },
      });
    }
  }
}
