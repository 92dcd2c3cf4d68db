import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/settings.js';

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
