import { DEFAULTS } from '../../src/config/settings.js';

/** The parts of rendered Kubernetes objects the operations checks read (everything optional: manifests may lack them). */
export interface K8sObject {
  kind: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  spec?: {
    ingress?: { ports?: { port?: number | string }[] }[];
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: {
        terminationGracePeriodSeconds?: number;
        containers?: {
          ports?: { name?: string; containerPort: number }[];
          env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
          lifecycle?: { preStop?: { sleep?: { seconds: number }; exec?: { command?: string[] } } };
        }[];
      };
    };
  };
}

/** Kubernetes' own default when a pod sets none. */
const KUBERNETES_DEFAULT_GRACE = 30;

function preStopSeconds(preStop: { sleep?: { seconds: number }; exec?: { command?: string[] } } | undefined): number {
  if (preStop?.sleep) return preStop.sleep.seconds;
  const command = preStop?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1] ?? 0) : 0;
}

/**
 * What operations need from the manifests (issue 14), as a list of problems (empty when all hold):
 * the kubelet's SIGKILL comes after the preStop pause plus Gatehouse's own shutdown grace; metrics are on their own
 * port, announced to Prometheus by annotation and let through the NetworkPolicy; a metrics token comes from a Secret.
 */
export function checkOperations(objects: readonly K8sObject[], options: { metricsTokenFromSecret: boolean }): string[] {
  const problems: string[] = [];
  const config = objects.find((o) => o.kind === 'ConfigMap')?.data ?? {};
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const pod = deployment?.spec?.template?.spec;
  const container = pod?.containers?.[0];
  if (!pod || !container) return ['no Deployment with a container'];

  const grace = Number(config['GATEHOUSE_SHUTDOWN_GRACE_SECONDS'] ?? DEFAULTS['server.shutdownGraceSeconds']);
  const pause = preStopSeconds(container.lifecycle?.preStop);
  const kill = pod.terminationGracePeriodSeconds ?? KUBERNETES_DEFAULT_GRACE;
  if (!(kill > pause + grace)) {
    problems.push(`terminationGracePeriodSeconds ${kill} is not above ${pause} s preStop + ${grace} s GATEHOUSE_SHUTDOWN_GRACE_SECONDS`);
  }

  const metricsPort = Number(config['GATEHOUSE_METRICS_PORT']);
  if (!Number.isInteger(metricsPort) || metricsPort <= 0) return [...problems, 'the ConfigMap sets no GATEHOUSE_METRICS_PORT'];
  if (container.ports?.find((p) => p.name === 'metrics')?.containerPort !== metricsPort) {
    problems.push(`the container declares no port named "metrics" at ${metricsPort}`);
  }
  const annotations = deployment.spec?.template?.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(metricsPort) || annotations['prometheus.io/path'] !== '/metrics') {
    problems.push(`the pod template lacks the prometheus.io/scrape, port (${metricsPort}) and path (/metrics) annotations`);
  }
  const policy = objects.find((o) => o.kind === 'NetworkPolicy');
  if (policy && !(policy.spec?.ingress ?? []).some((rule) => (rule.ports ?? []).some((p) => Number(p.port) === metricsPort))) {
    problems.push(`the NetworkPolicy admits nobody on the metrics port ${metricsPort}`);
  }

  // The token is a secret: never a literal in the ConfigMap or the pod spec.
  const token = container.env?.find((e) => e.name === 'GATEHOUSE_METRICS_TOKEN');
  if ('GATEHOUSE_METRICS_TOKEN' in config || token?.value !== undefined) problems.push('GATEHOUSE_METRICS_TOKEN is written in plain text');
  if (options.metricsTokenFromSecret && !token?.valueFrom?.secretKeyRef) problems.push('GATEHOUSE_METRICS_TOKEN is not read from a Secret');
  return problems;
}
