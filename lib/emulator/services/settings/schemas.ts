/**
 * The seeded Settings 2.0 schema registry. Shapes follow the real schemas closely enough for clients to treat
 * them alike (property types, `$ref`s to types and enums, nullability, defaults, unique constraints), without
 * claiming to be complete copies.
 *
 * @module
 */

/** A property type: a primitive name or a `$ref` to `#/types/X` or `#/enums/X`. */
export type PropertyType = string | { $ref: string };

/** A property of a schema or of one of its types. */
export interface PropertyDefinition {
  /** Type. */
  type: PropertyType;
  /** Display name. */
  displayName: string;
  /** Help text. */
  description: string;
  /** Whether the property may be absent or null. */
  nullable: boolean;
  /** Value used when the property is absent. */
  default?: unknown;
  /** Element type of `list` / `set` properties. */
  items?: { type: PropertyType };
  /** Most elements of a collection (1 for scalars). */
  maxObjects: number;
  /** Fewest elements of a collection. */
  minObjects?: number;
  /** Extra value rules (`LENGTH`, `NOT_BLANK`). */
  constraints?: Array<{ type: string; minLength?: number; maxLength?: number }>;
  /** Always `DEFAULT`: the emulator does not restrict modifications. */
  modificationPolicy: "DEFAULT";
}

/** A complex type referenced by properties. */
export interface SchemaTypeDefinition {
  /** Always `object`. */
  type: "object";
  /** Display name. */
  displayName: string;
  /** Help text. */
  description: string;
  /** Longer docs. */
  documentation: string;
  /** Summary template. */
  summaryPattern: string;
  /** Type version. */
  version: string;
  /** The type's properties. */
  properties: Record<string, PropertyDefinition>;
}

/** An enum referenced by properties. */
export interface SchemaEnumDefinition {
  /** Always `enum`. */
  type: "enum";
  /** Display name. */
  displayName: string;
  /** Help text. */
  description: string;
  /** Documentation. */
  documentation: string;
  /** Allowed values. */
  items: Array<{ value: string; displayName: string }>;
}

/** A full schema, as `GET /settings/schemas/{id}` returns it. */
export interface SettingsSchema {
  /** E.g. `builtin:alerting.profile`. */
  schemaId: string;
  /** Latest schema version. */
  version: string;
  /** Display name. */
  displayName: string;
  /** Help text. */
  description: string;
  /** Longer docs. */
  documentation: string;
  /** Dynatrace schema format version. */
  dynatrace: "1";
  /** Many objects per scope (else one). */
  multiObject: boolean;
  /** Objects keep a user-defined order. */
  ordered: boolean;
  /** Objects have owners and permissions. */
  ownerBasedAccessControl: boolean;
  /** Most objects per scope. */
  maxObjects: number;
  /** Scope kinds objects may live in: `environment` or entity types. */
  allowedScopes: string[];
  /** Maturity. */
  maturity: "GENERAL_AVAILABILITY" | "PREVIEW" | "EARLY_ADOPTER";
  /** UI groups. */
  schemaGroups: string[];
  /** Summary template over top-level properties. */
  summaryPattern: string;
  /** Top-level properties. */
  properties: Record<string, PropertyDefinition>;
  /** Complex types. */
  types: Record<string, SchemaTypeDefinition>;
  /** Enums. */
  enums: Record<string, SchemaEnumDefinition>;
  /** Cross-object constraints (`UNIQUE` over properties within a scope). */
  schemaConstraints: Array<{ type: "UNIQUE"; uniqueProperties: string[]; customMessage?: string }>;
}

const prop = (
  type: PropertyType,
  displayName: string,
  options: Partial<PropertyDefinition> = {},
): PropertyDefinition => ({
  type,
  displayName,
  description: options.description ?? "",
  nullable: options.nullable ?? false,
  maxObjects: options.maxObjects ?? 1,
  modificationPolicy: "DEFAULT",
  ...options,
});

const list = (item: PropertyType, displayName: string, options: Partial<PropertyDefinition> = {}) =>
  prop("list", displayName, { items: { type: item }, maxObjects: 100, minObjects: 0, ...options });

const type = (
  displayName: string,
  summaryPattern: string,
  properties: Record<string, PropertyDefinition>,
): SchemaTypeDefinition => ({
  type: "object",
  displayName,
  description: "",
  documentation: "",
  summaryPattern,
  version: "0",
  properties,
});

const enumOf = (displayName: string, values: string[]): SchemaEnumDefinition => ({
  type: "enum",
  displayName,
  description: "",
  documentation: "",
  items: values.map((value) => ({
    value,
    displayName: value.charAt(0) + value.slice(1).toLowerCase().replaceAll("_", " "),
  })),
});

const KEY_VALUE = type("Key/value pair", "{key}: {value}", {
  key: prop("text", "Key", {
    constraints: [{ type: "NOT_BLANK" }, { type: "LENGTH", minLength: 1, maxLength: 500 }],
  }),
  value: prop("text", "Value", { constraints: [{ type: "LENGTH", minLength: 0, maxLength: 10000 }] }),
});

function schema(
  fields:
    & Partial<SettingsSchema>
    & Pick<SettingsSchema, "schemaId" | "version" | "displayName" | "properties">,
): SettingsSchema {
  return {
    description: "",
    documentation: "",
    dynatrace: "1",
    multiObject: true,
    ordered: false,
    ownerBasedAccessControl: false,
    maxObjects: 1000,
    allowedScopes: ["environment"],
    maturity: "GENERAL_AVAILABILITY",
    schemaGroups: [],
    summaryPattern: "",
    types: {},
    enums: {},
    schemaConstraints: [],
    ...fields,
  };
}

/** The built-in schemas. */
export const BUILTIN_SCHEMAS: readonly SettingsSchema[] = [
  schema({
    schemaId: "builtin:davis.anomaly-detectors",
    version: "1.0.23",
    displayName: "Anomaly detectors",
    description:
      "Davis anomaly detectors raise events when a DQL time series crosses a threshold or baseline.",
    maxObjects: 4500,
    schemaGroups: ["group:anomaly-detection"],
    summaryPattern: "{title}",
    properties: {
      enabled: prop("boolean", "Enabled", { default: true }),
      title: prop("text", "Title", {
        constraints: [{ type: "NOT_BLANK" }, { type: "LENGTH", minLength: 1, maxLength: 200 }],
      }),
      description: prop("text", "Description", {
        nullable: true,
        constraints: [{ type: "LENGTH", maxLength: 1000 }],
      }),
      source: prop("text", "Source", { description: "Who or what created the detector." }),
      analyzer: prop({ $ref: "#/types/analyzerInput" }, "Analyzer"),
      eventTemplate: prop({ $ref: "#/types/eventTemplate" }, "Event template"),
      executionSettings: prop({ $ref: "#/types/executionSettings" }, "Execution settings", {
        nullable: true,
      }),
    },
    types: {
      analyzerInput: type("Analyzer input", "{name}", {
        name: prop("text", "Analyzer name", { constraints: [{ type: "NOT_BLANK" }] }),
        input: list({ $ref: "#/types/keyValue" }, "Input", { minObjects: 1 }),
      }),
      eventTemplate: type("Event template", "", {
        properties: list({ $ref: "#/types/keyValue" }, "Event properties"),
      }),
      executionSettings: type("Execution settings", "", {
        actor: prop("text", "Actor", { nullable: true }),
        queryOffset: prop("integer", "Query offset (minutes)", { nullable: true }),
      }),
      keyValue: KEY_VALUE,
    },
  }),
  schema({
    schemaId: "builtin:alerting.profile",
    version: "8.5.1",
    displayName: "Problem alerting profiles",
    allowedScopes: ["environment"],
    summaryPattern: "{name}",
    schemaGroups: ["group:alerting"],
    schemaConstraints: [{
      type: "UNIQUE",
      uniqueProperties: ["name"],
      customMessage: "Alerting profile names must be unique.",
    }],
    properties: {
      name: prop("text", "Name", {
        constraints: [{ type: "NOT_BLANK" }, { type: "LENGTH", minLength: 1, maxLength: 100 }],
      }),
      managementZone: prop("text", "Management zone", { nullable: true }),
      severityRules: list({ $ref: "#/types/severityRule" }, "Severity rules"),
      eventFilters: list({ $ref: "#/types/eventFilter" }, "Event filters"),
    },
    types: {
      severityRule: type("Severity rule", "{severityLevel}", {
        severityLevel: prop({ $ref: "#/enums/severityLevel" }, "Problem severity level"),
        delayInMinutes: prop("integer", "Send a notification after (minutes)", { default: 0 }),
        tagFilterIncludeMode: prop({ $ref: "#/enums/tagFilterIncludeMode" }, "Filter problems by tag", {
          default: "NONE",
        }),
        tagFilter: prop("set", "Tags", { items: { type: "text" }, maxObjects: 100, nullable: true }),
      }),
      eventFilter: type("Event filter", "{type}", {
        type: prop({ $ref: "#/enums/eventFilterType" }, "Filter type"),
        customFilter: prop("text", "Custom filter", { nullable: true }),
      }),
    },
    enums: {
      severityLevel: enumOf("Severity level", [
        "AVAILABILITY",
        "ERRORS",
        "PERFORMANCE",
        "RESOURCE_CONTENTION",
        "CUSTOM_ALERT",
        "MONITORING_UNAVAILABLE",
      ]),
      tagFilterIncludeMode: enumOf("Tag filter mode", ["NONE", "INCLUDE_ANY", "INCLUDE_ALL"]),
      eventFilterType: enumOf("Event filter type", ["PREDEFINED", "CUSTOM"]),
    },
  }),
  schema({
    schemaId: "builtin:problem.notifications",
    version: "1.7.4",
    displayName: "Problem notifications",
    summaryPattern: "{displayName}",
    schemaGroups: ["group:integration"],
    properties: {
      enabled: prop("boolean", "Enabled", { default: true }),
      displayName: prop("text", "Display name", { constraints: [{ type: "NOT_BLANK" }] }),
      type: prop({ $ref: "#/enums/notificationType" }, "Notification type"),
      alertingProfile: prop("text", "Alerting profile", {
        description: "Object id of a builtin:alerting.profile.",
      }),
      emailNotification: prop({ $ref: "#/types/emailNotification" }, "Email", { nullable: true }),
      webHookNotification: prop({ $ref: "#/types/webHookNotification" }, "Webhook", { nullable: true }),
    },
    types: {
      emailNotification: type("Email notification", "{subject}", {
        recipients: prop("set", "To", { items: { type: "text" }, maxObjects: 100, minObjects: 1 }),
        subject: prop("text", "Subject"),
        body: prop("text", "Body"),
        notifyClosedProblems: prop("boolean", "Notify closed problems", { default: false }),
      }),
      webHookNotification: type("Webhook notification", "{url}", {
        url: prop("text", "Webhook endpoint URL"),
        payload: prop("text", "Custom payload"),
        acceptAnyCertificate: prop("boolean", "Accept any SSL certificate", { default: false }),
        headers: list({ $ref: "#/types/keyValue" }, "Additional HTTP headers"),
      }),
      keyValue: KEY_VALUE,
    },
    enums: {
      notificationType: enumOf("Notification type", [
        "EMAIL",
        "WEBHOOK",
        "SLACK",
        "JIRA",
        "PAGER_DUTY",
        "OPS_GENIE",
      ]),
    },
  }),
  schema({
    schemaId: "builtin:loadtest.5k.owner-based",
    version: "1.0.2",
    displayName: "Load test (owner-based)",
    description: "A test schema with owner-based access control.",
    ownerBasedAccessControl: true,
    maturity: "PREVIEW",
    maxObjects: 5000,
    summaryPattern: "{name}",
    properties: {
      name: prop("text", "Name", { constraints: [{ type: "NOT_BLANK" }] }),
      enabled: prop("boolean", "Enabled", { default: true }),
      counter: prop("integer", "Counter", { nullable: true }),
    },
  }),
  schema({
    schemaId: "builtin:appsec.runtime-vulnerability-detection",
    version: "1.2.5",
    displayName: "Runtime vulnerability detection",
    multiObject: false,
    maxObjects: 1,
    allowedScopes: ["environment", "HOST_GROUP", "HOST"],
    schemaGroups: ["group:appsec"],
    properties: {
      enableRuntimeVulnerabilityDetection: prop("boolean", "Enable runtime vulnerability detection", {
        default: false,
      }),
      globalMonitoringModeJava: prop({ $ref: "#/enums/monitoringMode" }, "Java", {
        default: "MONITORING_ON",
      }),
      globalMonitoringModeDotNet: prop({ $ref: "#/enums/monitoringMode" }, ".NET", {
        default: "MONITORING_ON",
      }),
    },
    enums: { monitoringMode: enumOf("Monitoring mode", ["MONITORING_ON", "MONITORING_OFF"]) },
  }),
  schema({
    schemaId: "builtin:logmonitoring.log-storage-settings",
    version: "1.0.11",
    displayName: "Log storage",
    ordered: true,
    allowedScopes: ["environment", "HOST_GROUP", "HOST", "KUBERNETES_CLUSTER"],
    schemaGroups: ["group:log-monitoring"],
    summaryPattern: "{config-item-title}",
    properties: {
      enabled: prop("boolean", "Active", { default: true }),
      "config-item-title": prop("text", "Name", { constraints: [{ type: "NOT_BLANK" }] }),
      "send-to-storage": prop("boolean", "Send to storage"),
      matchers: list({ $ref: "#/types/matcher" }, "Matchers"),
    },
    types: {
      matcher: type("Matcher", "{attribute} {operator} {values}", {
        attribute: prop({ $ref: "#/enums/attribute" }, "Attribute"),
        operator: prop({ $ref: "#/enums/operator" }, "Operator", { default: "MATCHES" }),
        values: prop("set", "Values", { items: { type: "text" }, maxObjects: 50, minObjects: 1 }),
      }),
    },
    enums: {
      attribute: enumOf("Attribute", [
        "LOG_SOURCE",
        "LOG_LEVEL",
        "HOST_TAG",
        "K8S_NAMESPACE_NAME",
        "PROCESS_TECHNOLOGY",
      ]),
      operator: enumOf("Operator", ["MATCHES"]),
    },
  }),
];

/** The schema with this id, if any. */
export function findSchema(schemaId: string): SettingsSchema | undefined {
  return BUILTIN_SCHEMAS.find((s) => s.schemaId === schemaId);
}

/** The list entry of a schema (`SchemaStub`). */
export function schemaStub(schema: SettingsSchema): Record<string, unknown> {
  return {
    schemaId: schema.schemaId,
    displayName: schema.displayName,
    latestSchemaVersion: schema.version,
    multiObject: schema.multiObject,
    ordered: schema.ordered,
    ownerBasedAccessControl: schema.ownerBasedAccessControl,
    maturity: schema.maturity,
  };
}

/** Compares dotted versions numerically: negative when `a` is older. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
