/**
 * The inventory of a stack: the objects it manages, recorded in the environment itself so that prune deletes
 * only what the stack created.
 *
 * @module
 */

export {
  type Inventory,
  INVENTORY_DOCUMENT_TYPE,
  INVENTORY_FORMAT_VERSION,
  type InventoryContent,
  inventoryDocumentId,
  inventoryLabel,
  type InventoryObject,
  type InventoryOptions,
  inventoryText,
  parseInventoryContent,
  readInventory,
  sameInventoryObjects,
  sortInventoryObjects,
  writeInventory,
} from "./inventory.ts";
