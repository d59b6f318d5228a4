// The CloudWatch namespace this deployment's metric contract lives in.
import { config } from "../config/config";

export function metricsNamespace(): string {
  return config().TENANT_METRICS_NAMESPACE;
}
