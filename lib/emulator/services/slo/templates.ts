/**
 * Built-in objective templates: read-only, present in every tenant, referenced by `sliReference.templateId`.
 *
 * @module
 */

/** A variable a template's indicator needs. */
export interface TemplateVariable {
  /** Name used as `$name` in the indicator. */
  name: string;
  /** What to pass. */
  description: string;
}

/** An objective template. */
export interface ObjectiveTemplate {
  /** Stable id. */
  id: string;
  /** Opaque version. */
  version: string;
  /** Display name. */
  name: string;
  /** What it measures. */
  description: string;
  /** The DQL SLI with `$variable` placeholders. */
  indicator: string;
  /** Placeholders of the indicator. */
  variables: TemplateVariable[];
  /** Shipped by Dynatrace. */
  builtIn: boolean;
  /** Superseded by another template. */
  deprecated: boolean;
  /** Entity type the template applies to. */
  applicableScope: string;
}

/** The built-in templates. */
export const OBJECTIVE_TEMPLATES: readonly ObjectiveTemplate[] = [
  {
    id: "tpl-host-cpu",
    version: "bHNkZnQtMQ",
    name: "Host CPU usage",
    description: "Share of time the CPU usage of the hosts stays below 90 %.",
    indicator:
      "timeseries cpu = avg(dt.host.cpu.usage), by:{dt.entity.host}, filter:in(dt.entity.host, $hosts)\n| fieldsAdd sli = 100 - arrayAvg(cpu)",
    variables: [{ name: "hosts", description: 'Host entity ids, e.g. "HOST-ABCD"' }],
    builtIn: true,
    deprecated: false,
    applicableScope: "dt.entity.host",
  },
  {
    id: "tpl-service-availability",
    version: "bHNkZnQtMg",
    name: "Service availability",
    description: "Share of successful requests of the services.",
    indicator:
      "timeseries { total = sum(dt.service.request.count), failures = sum(dt.service.request.failure_count) }, filter:in(dt.entity.service, $services)\n| fieldsAdd sli = (arraySum(total) - arraySum(failures)) / arraySum(total) * 100",
    variables: [{ name: "services", description: "Service entity ids" }],
    builtIn: true,
    deprecated: false,
    applicableScope: "dt.entity.service",
  },
  {
    id: "tpl-service-performance",
    version: "bHNkZnQtMw",
    name: "Service performance",
    description: "Share of requests of the services faster than the threshold.",
    indicator:
      "timeseries p = percentile(dt.service.request.response_time, 90), filter:in(dt.entity.service, $services)\n| fieldsAdd sli = if(arrayAvg(p) < $thresholdMicros, 100, else: 0)",
    variables: [
      { name: "services", description: "Service entity ids" },
      { name: "thresholdMicros", description: "Response time threshold in microseconds" },
    ],
    builtIn: true,
    deprecated: false,
    applicableScope: "dt.entity.service",
  },
  {
    id: "tpl-k8s-workload-memory",
    version: "bHNkZnQtNA",
    name: "Kubernetes workload memory (deprecated)",
    description: "Superseded by the Kubernetes app's own objectives.",
    indicator:
      "timeseries m = avg(dt.kubernetes.container.memory_working_set), filter:in(k8s.workload.name, $workloads)\n| fieldsAdd sli = 100",
    variables: [{ name: "workloads", description: "Workload names" }],
    builtIn: true,
    deprecated: true,
    applicableScope: "dt.entity.cloud_application",
  },
];

/** The template with this id, if any. */
export function findTemplate(id: string): ObjectiveTemplate | undefined {
  return OBJECTIVE_TEMPLATES.find((template) => template.id === id);
}
