/**
 * Who may do what with a document: owner, shares, visibility and `admin-access`.
 *
 * @module
 */

import type { EmulatorStore } from "../../types.ts";
import { type DirectShareRecord, directShares, type DocumentRecord, environmentShares } from "./model.ts";

/** A permission on a document. */
export type Permission = "read" | "write" | "delete";

/** Sharing facts about one document from one user's point of view. */
export interface ShareFacts {
  /** Any share exists. */
  isShared: boolean;
  /** The user is a recipient or claimer. */
  isSharedWithCurrentUser: boolean;
  /** Access granted through shares. */
  granted: Permission[];
}

/** Share facts per document id, computed once per request. */
export type ShareIndex = (documentId: string) => ShareFacts;

function grants(access: "read" | "read-write"): Permission[] {
  return access === "read-write" ? ["read", "write"] : ["read"];
}

function recipientMatches(share: DirectShareRecord, userId: string): boolean {
  // Groups are not modelled: only user recipients grant access.
  return share.recipients.some((r) => r.type === "user" && r.id === userId);
}

/** Builds the share index of a user. */
export function shareIndex(store: EmulatorStore, userId: string): ShareIndex {
  const byDoc = new Map<string, ShareFacts>();
  const facts = (id: string) => {
    let entry = byDoc.get(id);
    if (!entry) {
      entry = { isShared: false, isSharedWithCurrentUser: false, granted: [] };
      byDoc.set(id, entry);
    }
    return entry;
  };
  for (const share of directShares(store).values()) {
    const entry = facts(share.documentId);
    entry.isShared = true;
    if (recipientMatches(share, userId)) {
      entry.isSharedWithCurrentUser = true;
      entry.granted.push(...grants(share.access));
    }
  }
  for (const share of environmentShares(store).values()) {
    const entry = facts(share.documentId);
    entry.isShared = true;
    if (share.claimers.includes(userId)) {
      entry.isSharedWithCurrentUser = true;
      entry.granted.push(...grants(share.access));
    }
  }
  return (id) => byDoc.get(id) ?? { isShared: false, isSharedWithCurrentUser: false, granted: [] };
}

/**
 * The user's permissions: the owner (or an admin-access caller) has all; shares add what they grant; a
 * non-private document is readable by everyone.
 */
export function permissionsOf(
  doc: DocumentRecord,
  userId: string,
  admin: boolean,
  shares: ShareIndex,
): Permission[] {
  if (admin || doc.owner === userId) return ["read", "write", "delete"];
  const set = new Set<Permission>(shares(doc.id).granted);
  if (!doc.isPrivate) set.add("read");
  return (["read", "write", "delete"] as Permission[]).filter((p) => set.has(p));
}
