/**
 * Dashboards: documents of type `dashboard` whose content (tiles and layouts) is edited as parsed JSON.
 *
 * @module
 */

import { defineDocumentKind, type DocumentObject } from "../documents/kind.ts";
import { kindApi } from "../registry.ts";
import type { DescribeSection, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

function tileSections(content: unknown): DescribeSection[] {
  const tiles = (content as { tiles?: Record<string, Record<string, unknown>> } | null)?.tiles;
  if (typeof tiles !== "object" || tiles === null) return [];
  const keys = Object.keys(tiles).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  return [{
    title: `Tiles (${keys.length})`,
    table: {
      columns: ["id", "type", "title", "visualization"],
      rows: keys.map((key) => {
        const tile = tiles[key] ?? {};
        return [key, str(tile.type), str(tile.title), str(tile.visualization)];
      }),
    },
  }];
}

/** The `dashboard` kind. */
export const dashboardKind: ResourceKind = defineDocumentKind({
  name: "dashboard",
  plural: "dashboards",
  aliases: ["dash", "db"],
  description: "Dashboards (documents of type dashboard)",
  manifestKind: "Dashboard",
  type: "dashboard",
  emptyContent: { version: 15, variables: [], tiles: {}, layouts: {} },
  appUrl: (environment, id) =>
    `${environment}/ui/apps/dynatrace.dashboards/dashboard/${encodeURIComponent(id)}`,
  contentSections: tileSections,
});

/** A dashboard: document metadata plus its content (`{version, tiles, layouts, ...}`). */
export type Dashboard = DocumentObject;

const api = kindApi<Dashboard>(dashboardKind);

/** Lists dashboards (metadata, without content). */
export const listDashboards = api.list;
/** Reads a dashboard by name or id, with its content. */
export const getDashboard = api.get;
/** Creates a dashboard from `{name, description?, isPrivate?, labels?, id?, content}`. */
export const createDashboard = api.create;
/**
 * Updates a dashboard to `payload`, its full editable form (`editableOf`), at the version `current` was read
 * (conflict when someone saved in between). Only what changed is sent.
 */
export const updateDashboard = api.update;
/** Moves a dashboard to the trash. */
export const deleteDashboard = api.delete;
