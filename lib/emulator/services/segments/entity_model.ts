/**
 * The entity model segments can filter on (`GET /filter-segments-entity-model`), a representative subset.
 *
 * @module
 */

/** The served entity model (`FilterSegmentNamespaceDto`). */
export const ENTITY_MODEL = {
  name: "dt.entity",
  types: [
    {
      name: "host",
      displayName: "Host",
      filtersEntitiesOnly: false,
      relatedTargetEntityOnly: false,
      restrictedParentProperties: [],
      properties: [{ name: "entity.name", type: "STRING" }, { name: "tags", type: "STRING" }],
      fromTypes: [{ name: "belongs_to", target: "kubernetes_cluster" }],
    },
    {
      name: "service",
      displayName: "Service",
      filtersEntitiesOnly: false,
      relatedTargetEntityOnly: false,
      restrictedParentProperties: [],
      properties: [{ name: "entity.name", type: "STRING" }],
      fromTypes: [{ name: "runs_on", target: "host" }],
    },
    {
      name: "kubernetes_cluster",
      displayName: "Kubernetes cluster",
      filtersEntitiesOnly: false,
      relatedTargetEntityOnly: false,
      restrictedParentProperties: [],
      properties: [{ name: "entity.name", type: "STRING" }],
      fromTypes: [],
    },
  ],
  allowedFilterOperations: [
    { filterName: "in", supportedAttributes: ["entity.name"] },
    { filterName: "equals", supportedAttributes: ["entity.name", "type", "tag", "id", "casesensitive"] },
    { filterName: "startsWith", supportedAttributes: ["entity.name"] },
  ],
};
