import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, SETTINGS } from '../../src/config/settings.js';
import { checkOperations, type K8sObject } from './operations.js';

/** Validated offline: no container engine or cluster exists here. */
const KNOWN = new Set(SETTINGS.flatMap((s) => s.env).concat(['NODE_ENV']));
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  Deployment, ConfigMap, Namespace, Secret, Service, ServiceAccount, Ingress, NetworkPolicy, PodDisruptionBudget,
} as never;
const HAS_KUBECTL = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!HAS_KUBECTL) console.warn('kustomize rendering skipped: kubectl is not installed');

function envFileNames(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0] as string);
}

describe.skipIf(!HAS_KUBECTL).each(['production', 'quickstart'])('kustomize overlay %s', (overlay) => {
  const rendered = HAS_KUBECTL ? spawnSync('kubectl', ['kustomize', `deploy/kubernetes/overlays/${overlay}`], { encoding: 'utf8' }) : { status: 1, stdout: '' };
  const objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string>; stringData?: Record<string, string> });

  it('renders and every object passes the Kubernetes schema', () => {
    expect(rendered.status).toBe(0);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Secret', 'Service', 'ServiceAccount']);
    for (const o of objects) {
      const Model = MODELS[o.kind];
      expect(Model, o.kind).toBeDefined();
      expect(() => new (Model as new (x: unknown) => { validate(): void })(o).validate()).not.toThrow();
    }
  });

  it('runs hardened, probes the real health routes, and uses only settings Gatehouse reads', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { securityContext: { runAsNonRoot: boolean }; containers: { env: { name: string }[]; securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean }; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } } }[] } } } };
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container?.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container?.readinessProbe.httpGet.path).toBe('/readyz');
    const config = objects.find((o) => o.kind === 'ConfigMap');
    const names = [...Object.keys(config?.data ?? {}), ...(container?.env ?? []).map((e) => e.name)];
    expect(names.filter((n) => !KNOWN.has(n))).toEqual([]);
    const secret = objects.find((o) => o.kind === 'Secret');
    expect(Object.values(secret?.stringData ?? {}).every((v) => v === 'CHANGE-ME')).toBe(true);
  });

  it('gives SIGTERM its grace before the kubelet kills, and Prometheus a port it may reach', () => {
    expect(checkOperations(objects as unknown as K8sObject[], { metricsTokenFromSecret: overlay === 'production' })).toEqual([]);
  });
});

describe('kubernetes base, without kubectl', () => {
  const kustomization = parse(readFileSync('deploy/kubernetes/base/kustomization.yaml', 'utf8')) as { resources: string[] };
  const objects = kustomization.resources.map((file) => parse(readFileSync(`deploy/kubernetes/base/${file}`, 'utf8')) as K8sObject);

  it('every file passes the Kubernetes schema and the operations checks', () => {
    for (const o of objects) expect(() => new (MODELS[o.kind] as new (x: unknown) => { validate(): void })(o).validate(), o.kind).not.toThrow();
    expect(checkOperations(objects, { metricsTokenFromSecret: true })).toEqual([]);
  });

  it('the checks catch a grace period the kubelet would cut short and a metrics port the NetworkPolicy blocks', () => {
    const broken = structuredClone(objects) as unknown as { kind: string; spec: Record<string, never> }[];
    const pod = (broken.find((o) => o.kind === 'Deployment')!.spec as unknown as { template: { spec: { terminationGracePeriodSeconds: number } } }).template.spec;
    pod.terminationGracePeriodSeconds = 30;
    const policy = broken.find((o) => o.kind === 'NetworkPolicy')!.spec as unknown as { ingress: unknown[] };
    policy.ingress = policy.ingress.slice(0, 1);
    const problems = checkOperations(broken as unknown as K8sObject[], { metricsTokenFromSecret: true });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/terminationGracePeriodSeconds 30 .* 5 s preStop \+ 25 s/);
    expect(problems.join('\n')).toMatch(/NetworkPolicy admits nobody on the metrics port 9464/);
  });
});

describe('container and bare-metal files', () => {
  it('the Dockerfile runs as a non-root user with a health check and pinned base images', () => {
    const dockerfile = readFileSync('deploy/docker/Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    for (const from of dockerfile.match(/^FROM \S+/gm) ?? []) expect(from).not.toMatch(/:latest$|^FROM [^:]+$/);
  });

  it('compose references only defined secrets and volumes, and env files hold only known settings', () => {
    const compose = parse(readFileSync('deploy/docker/compose.yaml', 'utf8')) as { services: Record<string, { secrets?: string[]; volumes?: string[] }>; secrets: Record<string, unknown>; volumes: Record<string, unknown> };
    for (const service of Object.values(compose.services)) {
      for (const s of service.secrets ?? []) expect(compose.secrets).toHaveProperty(s);
      for (const v of service.volumes ?? []) expect(compose.volumes).toHaveProperty(v.split(':')[0] as string);
    }
    for (const file of ['deploy/docker/gatehouse.env.example', 'deploy/systemd/gatehouse.env.example']) {
      expect(envFileNames(file).filter((n) => !KNOWN.has(n)), file).toEqual([]);
    }
  });

  it('compose and systemd wait longer than the shutdown grace before SIGKILL, and publish metrics on the loopback only', () => {
    const compose = parse(readFileSync('deploy/docker/compose.yaml', 'utf8')) as { services: { gatehouse: { environment: Record<string, string>; stop_grace_period: string; ports: string[] } } };
    const service = compose.services.gatehouse;
    const composeGrace = Number(service.environment['GATEHOUSE_SHUTDOWN_GRACE_SECONDS'] ?? DEFAULTS['server.shutdownGraceSeconds']);
    expect(Number(/^(\d+)s$/.exec(service.stop_grace_period)?.[1])).toBeGreaterThan(composeGrace);
    const metricsPort = service.environment['GATEHOUSE_METRICS_PORT'];
    expect(metricsPort).toMatch(/^\d+$/);
    expect(service.ports).toContain(`127.0.0.1:${metricsPort}:${metricsPort}`);
    expect(service.ports.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);

    const env = Object.fromEntries(readFileSync('deploy/systemd/gatehouse.env.example', 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));
    const unitGrace = Number(env['GATEHOUSE_SHUTDOWN_GRACE_SECONDS'] ?? DEFAULTS['server.shutdownGraceSeconds']);
    const stopTimeout = Number(/^TimeoutStopSec=(\d+)$/m.exec(readFileSync('deploy/systemd/gatehouse.service', 'utf8'))?.[1]);
    expect(stopTimeout).toBeGreaterThan(unitGrace);
    expect(env['GATEHOUSE_METRICS_PORT']).toMatch(/^\d+$/);
  });

  it('the systemd unit passes systemd-analyze when available', () => {
    const unit = readFileSync('deploy/systemd/gatehouse.service', 'utf8');
    expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    const analyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    if (analyze.status !== 0) {
      console.warn('systemd-analyze not installed: unit syntax not verified');
      return;
    }
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', 'deploy/systemd/gatehouse.service'], { encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/Unknown (key|section)|Invalid/);
  });
});
